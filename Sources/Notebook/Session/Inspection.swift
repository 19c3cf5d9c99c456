extension Session {
    /// Help on the word at `cursor` (a character offset into `code`), as Jupyter's Shift-Tab shows
    /// it: a verb's help page, a session command's usage, a variable's (or member's) type and
    /// view, or what `:help` says of a type, keyword or connecting word. Nil when the cursor is on
    /// nothing the session knows.
    public func inspection(of code: String, cursor: Int) -> String? {
        let characters = Array(code)
        let position = max(0, min(cursor, characters.count))
        func isWordCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber || character == "_" || character == "." || character == ":"
        }
        var start = position, end = position
        while start > 0, isWordCharacter(characters[start - 1]) { start -= 1 }
        while end < characters.count, isWordCharacter(characters[end]) { end += 1 }
        var word = String(characters[start..<end])
        while word.hasSuffix(".") || word.hasSuffix(":") { word.removeLast() }  // `steps:` names the argument
        guard !word.isEmpty else { return nil }
        if word.hasPrefix(":") {
            let name = String(word.dropFirst())
            return SessionCommand.all.first { $0.name == name }.map { "\($0.usage)\n  \($0.summary)" }
        }
        if let verb = interpreter.registry.verb(named: word) { return VerbHelp.page(for: verb.signature) }
        let path = word.split(separator: ".").map(String.init)
        guard let first = path.first, var value = interpreter.variables[first] else {
            return TopicHelp.text(for: word, registry: interpreter.registry, variables: interpreter.variables)
        }
        for member in path.dropFirst() {
            guard let next = value.member(member) else { return nil }
            value = next
        }
        return "\(word): \(value.typeName)\n\n" + ShowVerb.view(of: value, rows: 10)
    }
}
