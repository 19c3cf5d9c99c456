import Foundation
import Platform

/// Tab completion: verbs, variables, members, a verb's named arguments and connecting words,
/// session commands, and file paths inside string literals (and after `:load`, `:save`,
/// `:export`). Pure: it sees the line up to the cursor and returns what may replace the word
/// being typed, so it is tested without a terminal.
public struct Completer {
    /// Characters that end a word; the line editor is configured with the same set.
    public static let wordBreakCharacters = " \t\n\"'()[]{},;=+*%:#"

    /// The verbs that exist.
    public var registry: VerbRegistry
    /// The variables and their values (for member completion).
    public var variables: [String: Value]

    /// Creates a completer.
    public init(registry: VerbRegistry, variables: [String: Value]) {
        self.registry = registry
        self.variables = variables
    }

    /// The word being typed: the end of `prefix` after the last break character.
    public static func word(in prefix: String) -> Substring {
        let start = prefix.lastIndex { wordBreakCharacters.contains($0) }.map { prefix.index(after: $0) } ?? prefix.startIndex
        return prefix[start...]
    }

    /// What may replace the word at the end of `prefix` (the line up to the cursor), sorted.
    public func completions(forLinePrefix prefix: String) -> [String] {
        let word = String(Self.word(in: prefix))
        let before = String(prefix.dropLast(word.count))
        if Self.isInsideString(before) { return Self.paths(matching: word) }
        let leading = before.drop { $0 == " " || $0 == "\t" }
        if leading.hasPrefix(":") {
            if leading == ":" { return SessionCommand.all.map(\.name).filter { $0.hasPrefix(word) } }
            let command = leading.dropFirst().prefix { !$0.isWhitespace }
            switch command {
            case "help", "h", "?": return (registry.names + SessionCommand.all.map { ":" + $0.name }).filter { $0.hasPrefix(word) }.sorted()
            case "load", "save", "export": return Self.paths(matching: word)
            case "time":
                let line = prefix.drop { $0 == " " || $0 == "\t" }
                return completions(forLinePrefix: String(line.dropFirst(1 + command.count)))
            default: return []
            }
        }
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot])
            let member = word[word.index(after: dot)...]
            // `tm.history.` walks the members; `(find d "Uhr").` runs the quick verb inside.
            guard let value = base.isEmpty ? parenthesizedValue(before) : memberChain(base) else { return [] }
            return value.memberNames.filter { $0.hasPrefix(member) }.map { base + "." + $0 }.sorted()
        }
        let names = variables.keys.filter { $0.first != "_" || word.hasPrefix("_") }
        var candidates: [String]
        switch Self.context(of: before, vocabulary: registry.vocabulary) {
        case .statementStart:
            candidates = registry.names + names + ["let", "for"]
        case .command:
            candidates = registry.names + names
        case .arguments(let verbName, let given):
            candidates = names + ["true", "false", "none"]
            if let signature = registry.verb(named: verbName)?.signature {
                candidates += signature.named.map(\.name).filter { !given.contains($0) }.map { $0 + ":" }
                candidates += signature.connectors.map(\.word).filter { !given.contains($0) }
                // The words a positional parameter accepts (`model hybrid`); named ones follow their label.
                candidates += signature.positional.flatMap(\.choices)
                if let label = Self.lastLabel(before), let parameter = signature.named.first(where: { $0.name == label }) {
                    candidates = parameter.choices.isEmpty ? candidates : parameter.choices + names
                }
            }
        case .expression:
            candidates = names + ["true", "false", "none"]
        }
        return Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
    }

    /// Verbs quick and free of side effects (they write no file and train nothing), which Tab may
    /// run to complete the members of their result: `(find d "Uhr").`.
    static let verbsRunForCompletion: Set<String> = ["find", "filter", "head", "keypoints", "range", "len"]

    /// The value of `a.b.c`: a variable and its members.
    func memberChain(_ path: String) -> Value? {
        let names = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = names.first, var value = variables[first] else { return nil }
        for name in names.dropFirst() {
            guard let next = value.member(name) else { return nil }
            value = next
        }
        return value
    }

    /// The value of the parenthesised command that `before` ends with, when every verb in it is
    /// one of ``verbsRunForCompletion``; nil otherwise or when it fails.
    func parenthesizedValue(_ before: String) -> Value? {
        guard before.last == ")", let open = Self.matchingParenthesis(before) else { return nil }
        let inner = String(before[before.index(after: open)..<before.index(before: before.endIndex)])
        let interpreter = Interpreter(registry: registry, output: NotebookOutput.capturing().0, interrupt: InterruptFlag())
        guard let statements = try? interpreter.parse(SourceText(name: "", text: inner)), statements.count == 1,
              case .command(let expression) = statements[0].kind,
              NamesUsed.verbs(in: expression).isSubset(of: Self.verbsRunForCompletion) else { return nil }
        for (name, value) in variables { interpreter.setVariable(name, value) }
        return try? interpreter.evaluate(expression)
    }

    /// The index of the `(` that the `)` ending `text` closes, skipping strings.
    static func matchingParenthesis(_ text: String) -> String.Index? {
        var depth = 0
        var inString = false
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            let character = text[index]
            if character == "\"" { inString.toggle(); continue }
            if inString { continue }
            if character == ")" { depth += 1 }
            if character == "(" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    /// Where the cursor is, grammatically.
    enum Context: Equatable {
        /// Where a statement starts: verbs, variables, `let`, `for`.
        case statementStart
        /// Where a command starts (after `let x =`, `for x in`, `(`): verbs and variables.
        case command
        /// Among the arguments of a verb, with the labels already given.
        case arguments(verb: String, given: Set<String>)
        /// Inside an expression (a list, an index, after an operator).
        case expression
    }

    /// The context of the cursor after `before`.
    static func context(of before: String, vocabulary: Vocabulary) -> Context {
        guard let tokens = try? Lexer.tokenize(SourceText(name: "", text: before)) else { return .expression }
        // Each open '(' or '[' starts a segment; statement separators restart the current one.
        var segments: [(start: Int, isList: Bool, isStatement: Bool)] = [(0, false, true)]
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .leftParen: segments.append((index + 1, false, false))
            case .leftBracket: segments.append((index + 1, true, false))
            case .rightParen, .rightBracket: if segments.count > 1 { segments.removeLast() }
            case .semicolon, .newline, .leftBrace, .rightBrace:
                segments[segments.count - 1].start = index + 1
                segments[segments.count - 1].isStatement = true
            default: break
            }
        }
        let segment = segments[segments.count - 1]
        if segment.isList { return .expression }
        var words = tokens[segment.start...].filter { $0.kind != .end }
        var isStatement = segment.isStatement
        if let first = words.first?.word, first == "let" || first == "for" {
            let binder: Token.Kind = first == "let" ? .equals : .word("in")
            guard words.count >= 3, words[words.startIndex + 2].kind == binder else { return .expression }
            words = Array(words.dropFirst(3))
            isStatement = false
        }
        guard let head = words.first else { return isStatement ? .statementStart : .command }
        guard let verb = head.word, vocabulary.verbs.contains(verb) else { return .expression }
        var given: Set<String> = []
        for (index, token) in words.enumerated() {
            guard let word = token.word else { continue }
            if vocabulary.connectors.contains(word) { given.insert(word) }
            if index + 1 < words.count, words[index + 1].kind == .colon { given.insert(word) }
        }
        return .arguments(verb: verb, given: given)
    }

    /// Whether `text` ends inside an open string literal.
    static func isInsideString(_ text: String) -> Bool {
        var inside = false
        var escaped = false
        for character in text {
            if escaped { escaped = false; continue }
            if character == "\\" && inside { escaped = true; continue }
            if character == "\"" { inside.toggle() }
            if character == "#" && !inside { break }
        }
        return inside
    }

    /// Files and directories whose path starts with `partial`; directories end in `/`.
    static func paths(matching partial: String) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let namePrefix = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            directory = home + directory.dropFirst()
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { $0.hasPrefix(namePrefix) && (!$0.hasPrefix(".") || namePrefix.hasPrefix(".")) }
            .map { name in
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
                return directoryPart + name + (isDirectory.boolValue ? "/" : "")
            }
            .sorted()
    }

    /// The named-argument label just before the word being typed (`tokens` in `… tokens: pa`).
    static func lastLabel(_ before: String) -> String? {
        let trimmed = before.reversed().drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == ":" else { return nil }
        let name = trimmed.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name.reversed())
    }
}
