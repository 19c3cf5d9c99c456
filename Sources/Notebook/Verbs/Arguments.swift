/// A verb's arguments after checking: each parameter's value by name, with where it was written,
/// so a verb's own errors can point at the argument at fault.
public struct Arguments {
    /// The verb's name.
    public let verb: String
    /// The range of the whole call.
    public let callRange: SourceRange?
    private var values: [String: Value]
    private var ranges: [String: SourceRange]
    private var variables: [String: String]
    private var elementVariables: [String: [String?]]
    /// The values of a variadic positional parameter, in order, with their ranges.
    public private(set) var rest: [(value: Value, range: SourceRange?)]

    /// Creates arguments; the binder and tests use this.
    /// `variables` names the parameters whose argument was written as a bare variable,
    /// `elementVariables` the variables a list argument was written with (`[tm, ck]`).
    public init(verb: String, callRange: SourceRange? = nil, values: [String: Value] = [:],
                ranges: [String: SourceRange] = [:], variables: [String: String] = [:],
                elementVariables: [String: [String?]] = [:], rest: [(value: Value, range: SourceRange?)] = []) {
        self.verb = verb
        self.callRange = callRange
        self.values = values
        self.ranges = ranges
        self.variables = variables
        self.elementVariables = elementVariables
        self.rest = rest
    }

    /// Whether the call gave the parameter (named parameters with defaults always count as given).
    public func has(_ name: String) -> Bool {
        guard let value = values[name] else { return false }
        return !value.isNone
    }

    /// The parameter's value, `none` when it was left out.
    public subscript(_ name: String) -> Value { values[name] ?? .none }

    /// Where the parameter's value was written (the call when it was left out).
    public func range(of name: String) -> SourceRange? { ranges[name] ?? callRange }

    /// The variable the parameter's argument was written as (`eval: test` gives `test`), nil for
    /// any other expression: what a verb calls the value in what it prints.
    public func variableName(of name: String) -> String? { variables[name] }

    /// For a list written out as `[tm, ck, m]`, or a repeated connecting word (`vs a vs b`), the
    /// variable each element was written as (nil for other expressions); nil when the argument
    /// was written neither way.
    public func elementVariableNames(of name: String) -> [String?]? { elementVariables[name] }

    /// An error pointing at the parameter's argument.
    public func error(_ message: String, at name: String, hint: String? = nil) -> NotebookError {
        NotebookError(message, at: range(of: name), hint: hint)
    }

    /// The parameter as a number.
    public func number(_ name: String) throws(NotebookError) -> Double {
        guard case .number(let value) = self[name] else {
            throw error("\(verb) needs a number for '\(name)', got \(withArticle(self[name].typeName))", at: name)
        }
        return value
    }

    /// The parameter as a whole number within `bounds`.
    public func integer(_ name: String, in bounds: ClosedRange<Int> = Int.min...Int.max) throws(NotebookError) -> Int {
        let value = try number(name)
        guard value == value.rounded(), abs(value) < 9e15 else {
            throw error("\(verb) needs a whole number for '\(name)', got \(formatNumber(value))", at: name)
        }
        let integer = Int(value)
        guard bounds.contains(integer) else {
            let allowed = bounds.upperBound == Int.max ? "at least \(bounds.lowerBound)" : "between \(bounds.lowerBound) and \(bounds.upperBound)"
            throw error("\(verb)'s '\(name)' must be \(allowed), got \(integer)", at: name)
        }
        return integer
    }

    /// The parameter as a string.
    public func string(_ name: String) throws(NotebookError) -> String {
        guard case .string(let value) = self[name] else {
            throw error("\(verb) needs a string for '\(name)', got \(withArticle(self[name].typeName))", at: name)
        }
        return value
    }

    /// The parameter as a bool.
    public func bool(_ name: String) throws(NotebookError) -> Bool {
        guard case .bool(let value) = self[name] else {
            throw error("\(verb) needs true or false for '\(name)', got \(withArticle(self[name].typeName))", at: name)
        }
        return value
    }
}
