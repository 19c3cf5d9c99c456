/// Matches a call's written arguments to a verb's signature: positional arguments in order,
/// connecting words and names to their parameters, every value checked against its type.
enum ArgumentBinder {
    /// Where each written argument goes; found before any argument is evaluated, so a misspelt
    /// name fails at once instead of after a long nested command.
    struct Plan {
        /// (parameter, argument) pairs in written order; the parameter is nil for variadic rest.
        var assignments: [(parameter: Parameter, argument: VerbCall.Argument, isRest: Bool)]
    }

    /// Checks the call's labels and counts against `signature`.
    static func plan(_ call: VerbCall, signature: VerbSignature) throws(NotebookError) -> Plan {
        var assignments: [(parameter: Parameter, argument: VerbCall.Argument, isRest: Bool)] = []
        var seen: Set<String> = []
        var positionalIndex = 0
        let usageHint = "usage: \(signature.usage)"
        for argument in call.arguments {
            switch argument.label {
            case .positional:
                if positionalIndex < signature.positional.count {
                    let parameter = signature.positional[positionalIndex]
                    assignments.append((parameter, argument, parameter.isVariadic))
                    if !parameter.isVariadic { positionalIndex += 1 }
                    seen.insert(parameter.name)
                } else {
                    let expected = signature.positional.count
                    let counted = expected == 0 ? "no positional arguments"
                        : expected == 1 ? "1 positional argument" : "\(expected) positional arguments"
                    var hint = usageHint
                    if !signature.connectors.isEmpty {
                        hint += " — did you leave out '\(signature.connectors.map(\.word).joined(separator: "' or '"))'?"
                    }
                    throw NotebookError("\(signature.name) takes \(counted); this one is extra",
                                        at: argument.value.range, hint: hint)
                }
            case .connector(let word):
                guard let connector = signature.connectors.first(where: { $0.word == word }) else {
                    let valid = signature.connectors.map(\.word)
                    let takes = valid.isEmpty ? "\(signature.name) takes no connecting words"
                        : "\(signature.name) takes " + valid.map { "'\($0)'" }.joined(separator: ", ")
                    throw NotebookError("'\(word)' does not go with \(signature.name)", at: argument.labelRange,
                                        hint: "\(takes); \(usageHint)")
                }
                guard seen.insert(connector.parameter.name).inserted || connector.parameter.isVariadic else {
                    throw NotebookError("'\(word)' is given twice", at: argument.labelRange, hint: usageHint)
                }
                assignments.append((connector.parameter, argument, false))
            case .named(let name):
                guard let parameter = signature.named.first(where: { $0.name == name }) else {
                    let valid = signature.named.map(\.name)
                    let suggestion = Suggestions.didYouMean(name, among: valid)
                    let listing = valid.isEmpty ? "\(signature.name) takes no named arguments"
                        : "valid: " + valid.map { "\($0):" }.joined(separator: ", ")
                    throw NotebookError("unknown named argument '\(name):' for \(signature.name)\(suggestion)",
                                        at: argument.labelRange, hint: listing)
                }
                guard seen.insert(name).inserted else {
                    throw NotebookError("'\(name):' is given twice", at: argument.labelRange, hint: usageHint)
                }
                assignments.append((parameter, argument, false))
            }
        }
        for parameter in signature.positional where !parameter.isOptional && !seen.contains(parameter.name) {
            throw NotebookError("\(signature.name) needs \(parameter.usagePlaceholder) (\(parameter.help))",
                                at: call.nameRange, hint: usageHint)
        }
        for connector in signature.connectors where !connector.parameter.isOptional && !seen.contains(connector.parameter.name) {
            throw NotebookError("\(signature.name) needs '\(connector.word) \(connector.parameter.usagePlaceholder)' (\(connector.parameter.help))",
                                at: call.nameRange, hint: usageHint)
        }
        for parameter in signature.named where parameter.isRequired && !seen.contains(parameter.name) {
            throw NotebookError("\(signature.name) needs '\(parameter.name): \(parameter.usagePlaceholder)' (\(parameter.help))",
                                at: call.nameRange, hint: usageHint)
        }
        return Plan(assignments: assignments)
    }

    /// Checks evaluated values against their parameters' types and fills in defaults.
    ///
    /// `values[i]` is the value of `plan.assignments[i].argument`.
    static func bind(_ plan: Plan, values: [Value], call: VerbCall, callRange: SourceRange,
                     signature: VerbSignature) throws(NotebookError) -> Arguments {
        var named: [String: Value] = [:]
        var ranges: [String: SourceRange] = [:]
        var variables: [String: String] = [:]
        var rest: [(value: Value, range: SourceRange?)] = []
        for (index, assignment) in plan.assignments.enumerated() {
            let value = values[index]
            let parameter = assignment.parameter
            guard parameter.type.accepts(value) else {
                let subject: String
                switch assignment.argument.label {
                case .positional where index == 0 && !assignment.isRest: subject = "\(signature.name) expects"
                case .positional: subject = "\(signature.name) expects for \(parameter.usagePlaceholder)"
                case .connector(let word): subject = "\(signature.name) expects after '\(word)'"
                case .named(let name): subject = "\(signature.name) expects for '\(name):'"
                }
                throw NotebookError("\(subject) \(parameter.type), got \(withArticle(value.typeName))",
                                    at: assignment.argument.value.range, hint: "\(parameter.name): \(parameter.help)")
            }
            if !parameter.choices.isEmpty, case .string(let word) = value, !parameter.choices.contains(word) {
                throw NotebookError("\(signature.name)'s \(parameter.name) must be \(Self.listing(parameter.choices)), got '\(word)'"
                                    + Suggestions.didYouMean(word, among: parameter.choices),
                                    at: assignment.argument.value.range, hint: "\(parameter.name): \(parameter.help)")
            }
            if case .connector = assignment.argument.label, parameter.isVariadic {
                // A repeatable connecting word (`vs B vs C`) collects its values into a list.
                var items: [Value] = []
                if case .list(let earlier)? = named[parameter.name] { items = earlier }
                named[parameter.name] = .list(items + [value])
                if ranges[parameter.name] == nil { ranges[parameter.name] = assignment.argument.value.range }
            } else if assignment.isRest {
                rest.append((value, assignment.argument.value.range))
            } else {
                named[parameter.name] = value
                ranges[parameter.name] = assignment.argument.value.range
                if case .variable(let variable) = assignment.argument.value.kind { variables[parameter.name] = variable }
            }
        }
        for parameter in signature.named where named[parameter.name] == nil {
            if let defaultValue = parameter.defaultValue { named[parameter.name] = defaultValue.value }
        }
        return Arguments(verb: signature.name, callRange: callRange, values: named, ranges: ranges, variables: variables, rest: rest)
    }

    /// `hybrid, ar or diffusion`.
    static func listing(_ words: [String]) -> String {
        words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    /// The value of an argument: a bare name among the parameter's choices is that word (so
    /// `model hybrid` works even when a variable is called `hybrid`); anything else is evaluated.
    static func choiceWord(_ argument: VerbCall.Argument, parameter: Parameter) -> Value? {
        guard !parameter.choices.isEmpty, case .variable(let name) = argument.value.kind,
              parameter.choices.contains(name) else { return nil }
        return .string(name)
    }
}
