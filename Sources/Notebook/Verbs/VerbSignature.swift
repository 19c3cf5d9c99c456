/// The types a parameter accepts, by the language's type names (`number`, `sample`, `model`, …).
public struct ValueType: Sendable, Hashable, CustomStringConvertible {
    /// Accepted type names, in the order error messages list them; empty means any value.
    public var names: [String]

    /// A type made of the given type names.
    public init(_ names: [String]) {
        self.names = names
    }

    public static let any = ValueType([])
    public static let number = ValueType(["number"])
    public static let string = ValueType(["string"])
    public static let bool = ValueType(["bool"])
    public static let list = ValueType(["list"])
    public static let range = ValueType(["range"])
    public static let dataset = ValueType(["dataset"])
    public static let sample = ValueType(["sample"])
    public static let table = ValueType(["table"])
    public static let file = ValueType(["file"])
    /// Values a `for` loop can walk: lists, ranges, datasets and tables.
    public static let sequence = ValueType(["list", "range", "dataset", "table"])

    /// A type from a domain module, named as its ``NotebookObject/typeName``.
    public static func object(_ typeName: String) -> ValueType { ValueType([typeName]) }

    /// Either type.
    public static func | (lhs: ValueType, rhs: ValueType) -> ValueType {
        if lhs.names.isEmpty || rhs.names.isEmpty { return .any }
        return ValueType(lhs.names + rhs.names.filter { !lhs.names.contains($0) })
    }

    /// Whether `value` is of this type.
    public func accepts(_ value: Value) -> Bool {
        names.isEmpty || names.contains(value.typeName)
    }

    /// `a sample or dataset`, `a number`, `any value`.
    public var description: String {
        guard let first = names.first else { return "any value" }
        let rest = names.dropFirst()
        var text = withArticle(first)
        if rest.count == 1 {
            text += " or \(rest[rest.startIndex])"
        } else if rest.count > 1 {
            text += ", " + rest.dropLast().joined(separator: ", ") + " or " + rest.last!
        }
        return text
    }

    /// The placeholder in usage lines: `NUMBER`, `SAMPLE|DATASET`, `VALUE`.
    var placeholder: String {
        names.isEmpty ? "VALUE" : names.map { $0.uppercased() }.joined(separator: "|")
    }
}

/// `a number`, `an image`, `none`.
func withArticle(_ typeName: String) -> String {
    if typeName == "none" { return "none" }
    let vowel = typeName.first.map { "aeiou".contains($0) } ?? false
    return (vowel ? "an " : "a ") + typeName
}

/// A default for a named parameter, written as a literal of the language.
public enum DefaultValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none

    /// The default as a value.
    public var value: Value {
        switch self {
        case .number(let number): return .number(number)
        case .string(let string): return .string(string)
        case .bool(let bool): return .bool(bool)
        case .none: return .none
        }
    }
}

/// One parameter of a verb: positional, after a connecting word, or named.
public struct Parameter: Sendable {
    /// The key verbs read the argument by; named parameters are written with it (`steps:`).
    public var name: String
    /// The accepted types.
    public var type: ValueType
    /// One line of help.
    public var help: String
    /// Whether the call may leave it out (named parameters always may).
    public var isOptional: Bool
    /// Whether it takes all remaining positional arguments (last positional parameter only); after a
    /// connecting word, whether the word may repeat (`vs B vs C`), the verb then seeing a list.
    public var isVariadic: Bool
    /// Whether a named parameter must be given (`fps:` of `resample`); named parameters are
    /// optional unless declared `required: true`.
    public var isRequired: Bool
    /// The value of a named parameter left out; nil means the verb sees `none`.
    public var defaultValue: DefaultValue?
    /// The placeholder in usage lines, for example `PATH` (defaults to the type's).
    public var placeholder: String?
    /// The words a string parameter accepts (`hybrid`, `ar`, `diffusion`); empty means any string.
    /// A bare name that is one of them is taken as the word, not as a variable (`model hybrid`),
    /// and any other string is an error that lists them.
    public var choices: [String]

    /// Creates a parameter.
    public init(_ name: String, _ type: ValueType, _ help: String, optional: Bool = false, variadic: Bool = false,
                required: Bool = false, default defaultValue: DefaultValue? = nil, placeholder: String? = nil,
                choices: [String] = []) {
        self.choices = choices
        self.isRequired = required
        self.name = name
        self.type = type
        self.help = help
        self.isOptional = optional || variadic
        self.isVariadic = variadic
        self.defaultValue = defaultValue
        self.placeholder = placeholder
    }

    /// The placeholder shown in usage lines (the choices, `hybrid|ar|diffusion`, when there are any).
    public var usagePlaceholder: String { placeholder ?? (choices.isEmpty ? type.placeholder : choices.joined(separator: "|")) }
}

/// A connecting word and the parameter it introduces: `to PATH`, `on DATASET`, `vs REFERENCE`.
public struct Connector: Sendable {
    /// The word, for example `to`.
    public var word: String
    /// The parameter after it; its ``Parameter/name`` is how the verb reads it.
    public var parameter: Parameter

    /// Creates a connector.
    public init(_ word: String, _ parameter: Parameter) {
        self.word = word
        self.parameter = parameter
    }
}

/// Everything the notebook knows about a verb, declared once: help, completion and argument
/// checking all come from it.
public struct VerbSignature: Sendable {
    /// The verb's name.
    public var name: String
    /// One line saying what it does.
    public var summary: String
    /// Positional parameters, in order.
    public var positional: [Parameter]
    /// Parameters introduced by connecting words.
    public var connectors: [Connector]
    /// Named parameters (`steps: 1`).
    public var named: [Parameter]
    /// Examples that run as written (given the variables they mention).
    public var examples: [String]
    /// What the verb returns, for help.
    public var returns: String

    /// Creates a signature.
    public init(name: String, summary: String, positional: [Parameter] = [], connectors: [Connector] = [],
                named: [Parameter] = [], returns: String = "none", examples: [String]) {
        self.name = name
        self.summary = summary
        self.positional = positional
        self.connectors = connectors
        self.named = named
        self.returns = returns
        self.examples = examples
    }

    /// `render SAMPLE|DATASET [vs SAMPLE] to PATH [fps: NUMBER]`.
    public var usage: String {
        var parts = [name]
        for parameter in positional {
            var text = parameter.usagePlaceholder
            if parameter.isVariadic { text += "…" }
            parts.append(parameter.isOptional ? "[\(text)]" : text)
        }
        for connector in connectors {
            let text = "\(connector.word) \(connector.parameter.usagePlaceholder)" + (connector.parameter.isVariadic ? "…" : "")
            parts.append(connector.parameter.isOptional ? "[\(text)]" : text)
        }
        for parameter in named {
            let text = "\(parameter.name): \(parameter.usagePlaceholder)"
            parts.append(parameter.isRequired ? text : "[\(text)]")
        }
        return parts.joined(separator: " ")
    }
}
