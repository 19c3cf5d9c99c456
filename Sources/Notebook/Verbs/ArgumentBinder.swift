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
            // `sample "Baum"`: the text took the model's place, so the model is what is missing.
            if let displaced = Self.displacedParameter(assignments, signature: signature) {
                throw NotebookError("\(signature.name) needs \(displaced.0.usagePlaceholder) (\(displaced.0.help)) before this",
                                    at: displaced.1.value.range, hint: usageHint)
            }
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

    /// When positional arguments are missing, the first literal written in a place whose type it
    /// does not fit but whose next place it does (`sample "Baum"`: a string where the model goes,
    /// the text's place next): that place's parameter, which is the one really left out.
    private static func displacedParameter(_ assignments: [(parameter: Parameter, argument: VerbCall.Argument, isRest: Bool)],
                                           signature: VerbSignature) -> (Parameter, VerbCall.Argument)? {
        let positional = signature.positional
        for assignment in assignments where assignment.argument.label == .positional && !assignment.isRest {
            guard let typeName = literalTypeName(assignment.argument.value),
                  let place = positional.firstIndex(where: { $0.name == assignment.parameter.name }),
                  place + 1 < positional.count else { continue }
            let fitsHere = assignment.parameter.type.names.isEmpty || assignment.parameter.type.names.contains(typeName)
            let next = positional[place + 1].type
            if !fitsHere, next.names.isEmpty || next.names.contains(typeName) { return (assignment.parameter, assignment.argument) }
        }
        return nil
    }

    /// The type of a literal argument, known before anything is evaluated.
    private static func literalTypeName(_ expression: Expression) -> String? {
        switch expression.kind {
        case .number: return "number"
        case .string: return "string"
        case .bool: return "bool"
        case .list: return "list"
        default: return nil
        }
    }

    /// Checks evaluated values against their parameters' types and fills in defaults.
    ///
    /// `values[i]` is the value of `plan.assignments[i].argument`.
    static func bind(_ plan: Plan, values: [Value], call: VerbCall, callRange: SourceRange,
                     signature: VerbSignature) throws(NotebookError) -> Arguments {
        var named: [String: Value] = [:]
        var ranges: [String: SourceRange] = [:]
        var variables: [String: String] = [:]
        var elementVariables: [String: [String?]] = [:]
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
                let variable: String? = if case .variable(let name) = assignment.argument.value.kind { name } else { nil }
                elementVariables[parameter.name, default: []].append(variable)
            } else if assignment.isRest {
                rest.append((value, assignment.argument.value.range))
            } else {
                named[parameter.name] = value
                ranges[parameter.name] = assignment.argument.value.range
                switch assignment.argument.value.kind {
                case .variable(let variable): variables[parameter.name] = variable
                case .list(let elements):
                    elementVariables[parameter.name] = elements.map { element in
                        if case .variable(let variable) = element.kind { return variable } else { return nil }
                    }
                default: break
                }
            }
        }
        for parameter in signature.named where named[parameter.name] == nil {
            if let defaultValue = parameter.defaultValue { named[parameter.name] = defaultValue.value }
        }
        return Arguments(verb: signature.name, callRange: callRange, values: named, ranges: ranges, variables: variables,
                         elementVariables: elementVariables, rest: rest)
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
