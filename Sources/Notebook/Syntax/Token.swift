/// One token of the notebook language.
public struct Token: Sendable, Equatable {
    /// What the token is.
    public enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        /// A name: a variable, a verb, a keyword (`let`, `for`, `in`, `true`, …) or a connecting
        /// word (`to`, `on`, `vs`); the parser tells them apart.
        case word(String)
        case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
        case comma, semicolon, dot, colon, equals, plus, minus, star, slash, percent
        /// A line break that ends a statement (line breaks inside `( )` and `[ ]` are skipped).
        case newline
        case end
    }

    /// What the token is.
    public var kind: Kind
    /// Where it is.
    public var range: SourceRange
    /// Whether white space (or a comment) comes right before it; `xs[0]` indexes, `xs [0]` passes
    /// a list as another argument.
    public var spaceBefore: Bool

    /// Creates a token.
    public init(_ kind: Kind, _ range: SourceRange, spaceBefore: Bool) {
        self.kind = kind
        self.range = range
        self.spaceBefore = spaceBefore
    }

    /// The word, when the token is one.
    public var word: String? {
        if case .word(let word) = kind { return word }
        return nil
    }

    /// How the token reads in an error message.
    public var quoted: String {
        switch kind {
        case .number(let value): return "number \(formatNumber(value))"
        case .string: return "a string"
        case .word(let word): return "'\(word)'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .leftBrace: return "'{'"
        case .rightBrace: return "'}'"
        case .comma: return "','"
        case .semicolon: return "';'"
        case .dot: return "'.'"
        case .colon: return "':'"
        case .equals: return "'='"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .percent: return "'%'"
        case .newline: return "the end of the line"
        case .end: return "the end of the input"
        }
    }
}
