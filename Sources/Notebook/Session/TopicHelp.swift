/// `:help` for what is not a verb or a session command: keywords (`:help for`), connecting words,
/// types (`:help dataset`) and the session's variables (`:help d`, `?d`).
enum TopicHelp {
    /// What each built-in type is, in one line.
    static let typeSummaries: [(name: String, summary: String)] = [
        ("number", "a number (64-bit floating point); + - * / % work on numbers"),
        ("string", "text in double quotes, \"Baum\"; + joins strings, s[0] is a character"),
        ("bool", "true or false"),
        ("none", "no value (a missing text or score)"),
        ("list", "[1, 2, 3]: values in order; xs[0], xs[-1], xs[1:3], head xs 5; + joins lists"),
        ("range", "range 10: whole numbers made as they are used; indexes and slices like a list"),
        ("dataset", "pose samples with a layout (load \"x.pkl\"); d[0] is a sample, d[0:5] and head d 5 are datasets"),
        ("sample", "one pose sequence: frames of keypoints with a text and a frame rate; keypoints s frame: 0 is a table"),
        ("table", "named columns of rows (eval, compare, m.history); t[0] is a row, t.COLUMN a column's values, t[0:3] a table"),
        ("file", "a file a verb wrote (render, export, plot); .path and .kind"),
    ]

    /// What each keyword means.
    static let keywordSummaries: [String: String] = [
        "let": "let NAME = VALUE — binds a name to a value (a verb's result or an expression)",
        "for": "for NAME in LIST|RANGE|DATASET|TABLE { … } — runs the block once per element (Ctrl-C stops it)",
        "in": "for NAME in SEQUENCE { … } — what a for loop walks",
        "true": "the bool true",
        "false": "the bool false",
        "none": "no value",
    ]

    /// The help text for `topic`, or nil when it names nothing the notebook knows.
    static func text(for topic: String, registry: VerbRegistry, variables: [String: Value]) -> String? {
        if let value = variables[topic] { return valueHelp(topic, value, registry: registry) }
        if let summary = keywordSummaries[topic] { return "\(topic) (keyword)\n  \(summary)" }
        if let type = typeSummaries.first(where: { $0.name == topic }) {
            return typeHelp(type.name, summary: type.summary, members: Value.memberNames(ofType: type.name), registry: registry)
        }
        if let object = variables.values.first(where: { if case .object(let o) = $0 { return o.typeName == topic } else { return false } }) {
            return typeHelp(topic, summary: "a value made by a verb (its members below)", members: object.memberNames, registry: registry)
        }
        let users = registry.signatures.filter { $0.connectors.contains { $0.word == topic } }
        if !users.isEmpty {
            return "\(topic) (connecting word)\n  introduces an argument of " + users.map { "\($0.name) (\($0.usage))" }.joined(separator: "; ")
        }
        return nil
    }

    /// Every name `:help` explains besides verbs and commands, for suggestions.
    static func topics(variables: [String: Value]) -> [String] {
        typeSummaries.map(\.name) + keywordSummaries.keys.sorted() + variables.keys.filter { $0.first != "_" }.sorted()
    }

    private static func valueHelp(_ name: String, _ value: Value, registry: VerbRegistry) -> String {
        var lines = ["\(name): \(value.typeName)", "  " + value.inlineText]
        let members = value.memberNames
        if !members.isEmpty { lines.append("members: " + members.map { "\(name).\($0)" }.joined(separator: ", ")) }
        let verbs = verbsTaking(value.typeName, registry: registry)
        if !verbs.isEmpty { lines.append("verbs that take \(withArticle(value.typeName)): " + verbs.joined(separator: ", ")) }
        lines.append("`show \(name)` prints it in detail; `:help \(value.typeName)` explains the type")
        return lines.joined(separator: "\n")
    }

    private static func typeHelp(_ name: String, summary: String, members: [String], registry: VerbRegistry) -> String {
        var lines = ["\(name) (type)", "  " + summary]
        if !members.isEmpty { lines.append("members: " + members.joined(separator: ", ")) }
        let verbs = verbsTaking(name, registry: registry)
        if !verbs.isEmpty { lines.append("verbs that take \(withArticle(name)): " + verbs.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    /// Verbs with a parameter declared for `typeName` (parameters of any type are left out: every verb would qualify).
    private static func verbsTaking(_ typeName: String, registry: VerbRegistry) -> [String] {
        registry.signatures.filter { signature in
            let parameters = signature.positional + signature.connectors.map(\.parameter) + signature.named
            return parameters.contains { $0.type.names.contains(typeName) }
        }.map(\.name)
    }
}
