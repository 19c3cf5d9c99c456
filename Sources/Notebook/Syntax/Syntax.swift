/// The syntax tree of the notebook language. Every node keeps its source range, so errors found
/// while running can point at the exact text.

/// An expression: a literal, a variable, a list, member access, indexing, arithmetic or a verb call.
public struct Expression: Sendable {
    /// The operators of the language.
    public enum Operator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    }

    /// What the expression is.
    public indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case none
        case variable(String)
        case list([Expression])
        /// `base.name`; the range is the name's.
        case member(Expression, name: String, nameRange: SourceRange)
        /// `base[index]`.
        case index(Expression, Expression)
        /// `base[start:end]`, either bound optional: the elements from `start` up to (not
        /// including) `end`.
        case slice(Expression, start: Expression?, end: Expression?)
        case negate(Expression)
        case binary(Operator, Expression, Expression)
        case call(VerbCall)
    }

    /// What the expression is.
    public var kind: Kind
    /// The text it was parsed from.
    public var range: SourceRange

    /// Creates an expression node.
    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// A verb with its arguments: `sample m "Baum" steps: 1`.
public struct VerbCall: Sendable {
    /// One argument as written.
    public struct Argument: Sendable {
        /// How the argument was introduced.
        public enum Label: Sendable, Equatable {
            /// By position.
            case positional
            /// By a connecting word: `to "out/baum"`.
            case connector(String)
            /// By name: `steps: 1`.
            case named(String)
        }

        /// How the argument was introduced.
        public var label: Label
        /// The range of the connecting word or name (nil for positional arguments).
        public var labelRange: SourceRange?
        /// The argument's value.
        public var value: Expression

        /// Creates an argument.
        public init(label: Label, labelRange: SourceRange?, value: Expression) {
            self.label = label
            self.labelRange = labelRange
            self.value = value
        }

        /// The range of the label and the value together.
        public var range: SourceRange { labelRange.map { $0.union(value.range) } ?? value.range }
    }

    /// The verb's name.
    public var name: String
    /// Where the verb's name is.
    public var nameRange: SourceRange
    /// The arguments in written order.
    public var arguments: [Argument]

    /// Creates a call.
    public init(name: String, nameRange: SourceRange, arguments: [Argument]) {
        self.name = name
        self.nameRange = nameRange
        self.arguments = arguments
    }
}

/// A statement: `let`, `for`, or a command whose value is shown.
public struct Statement: Sendable {
    /// What the statement is.
    public indirect enum Kind: Sendable {
        /// `let name = value`.
        case assignment(name: String, nameRange: SourceRange, value: Expression)
        /// `for name in sequence { body }`.
        case loop(name: String, nameRange: SourceRange, sequence: Expression, body: [Statement])
        /// A verb call or an expression.
        case command(Expression)
    }

    /// What the statement is.
    public var kind: Kind
    /// The text it was parsed from.
    public var range: SourceRange

    /// Creates a statement node.
    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The words the parser must know: the verbs that exist and the connecting words they use.
public struct Vocabulary: Sendable {
    /// Words with a fixed meaning, which cannot name variables.
    public static let keywords: Set<String> = ["let", "for", "in", "true", "false", "none"]

    /// Verb names.
    public var verbs: Set<String>
    /// Connecting words (`to`, `on`, `vs`, …); reserved, like keywords.
    public var connectors: Set<String>

    /// Creates a vocabulary.
    public init(verbs: Set<String>, connectors: Set<String>) {
        self.verbs = verbs
        self.connectors = connectors
    }

    /// Whether `word` is a keyword or connecting word.
    public func isReserved(_ word: String) -> Bool {
        Self.keywords.contains(word) || connectors.contains(word)
    }
}
