/// Help text made from verb signatures.
public enum VerbHelp {
    /// The help page of one verb: usage, summary, parameters, result and examples.
    public static func page(for signature: VerbSignature) -> String {
        var lines = ["\(signature.usage)", "  \(signature.summary)"]
        var rows: [(String, String)] = []
        for parameter in signature.positional {
            rows.append((parameter.usagePlaceholder + (parameter.isVariadic ? "…" : ""),
                         "\(parameter.type)\(parameter.isOptional ? ", optional" : "") — \(parameter.help)"))
        }
        for connector in signature.connectors {
            let parameter = connector.parameter
            rows.append(("\(connector.word) \(parameter.usagePlaceholder)" + (parameter.isVariadic ? "…" : ""),
                         "\(parameter.type)\(parameter.isOptional ? ", optional" : "") — \(parameter.help)"))
        }
        for parameter in signature.named {
            let defaultText = parameter.defaultValue.map { " = \($0.value.displayText)" } ?? ""
            rows.append(("\(parameter.name): \(parameter.usagePlaceholder)\(defaultText)",
                         "\(parameter.type)\(parameter.isRequired ? ", required" : "") — \(parameter.help)"))
        }
        if !rows.isEmpty {
            lines.append("")
            lines.append("arguments:")
            let width = rows.map(\.0.count).max() ?? 0
            for (left, right) in rows {
                lines.append("  " + left.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + right)
            }
        }
        lines.append("")
        lines.append("returns: \(signature.returns)")
        if !signature.examples.isEmpty {
            lines.append("")
            lines.append(signature.examples.count == 1 ? "example:" : "examples:")
            lines.append(contentsOf: signature.examples.map { "  " + $0 })
        }
        return lines.joined(separator: "\n")
    }

    /// The overview `:help` prints: every verb with its summary, the syntax in brief and the
    /// session commands.
    public static func overview(_ registry: VerbRegistry) -> String {
        var lines = ["verbs (`:help VERB` for details):"]
        let signatures = registry.signatures
        let width = signatures.map(\.name.count).max() ?? 0
        for signature in signatures {
            lines.append("  " + signature.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + signature.summary)
        }
        lines += [
            "",
            "syntax:",
            "  let x = VERB ARG … to X on Y name: VALUE    bind a result",
            "  for x in LIST { … }                        loop (Ctrl-C stops it)",
            "  (VERB …)  xs[0]  d.count  \"a\" + b  [1, 2]  # comment",
            "",
            "session commands:",
        ]
        let commandWidth = SessionCommand.all.map(\.usage.count).max() ?? 0
        for command in SessionCommand.all {
            lines.append("  " + command.usage.padding(toLength: commandWidth, withPad: " ", startingAt: 0) + "  " + command.summary)
        }
        lines.append("")
        lines.append("results: _ is the last value, _3 the value of cell 3. Tab completes; Ctrl-C stops; Ctrl-D leaves.")
        return lines.joined(separator: "\n")
    }
}
