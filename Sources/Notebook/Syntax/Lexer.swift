/// Splits source text into tokens.
///
/// Comments run from `#` to the end of the line. Line breaks end statements, except inside
/// parentheses and brackets, so long lists and nested commands may span lines. Strings are
/// double-quoted, on one line, with the escapes `\n`, `\t`, `\"` and `\\`.
public struct Lexer {
    private let source: SourceText
    private let characters: [Character]
    private var index = 0
    private var line: Int
    private var column = 1
    /// Open `(` and `[` (line breaks inside them are not statement ends).
    private var groupDepth = 0

    /// Creates a lexer over `source`.
    public init(_ source: SourceText) {
        self.source = source
        self.characters = source.characters
        self.line = source.firstLine
    }

    /// All tokens, ending with `.end`.
    public static func tokenize(_ source: SourceText) throws(NotebookError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column, offset: index) }

    private func peek(_ ahead: Int = 0) -> Character? {
        index + ahead < characters.count ? characters[index + ahead] : nil
    }

    private mutating func advance() {
        if characters[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    /// The next token.
    public mutating func next() throws(NotebookError) -> Token {
        var spaceBefore = index == 0
        while let character = peek() {
            if character == " " || character == "\t" || character == "\r" {
                advance()
                spaceBefore = true
            } else if character == "#" {
                while let c = peek(), c != "\n" { advance() }
                spaceBefore = true
            } else if character == "\n" && groupDepth > 0 {
                advance()
                spaceBefore = true
            } else {
                break
            }
        }
        let start = position
        guard let character = peek() else {
            return Token(.end, SourceRange(start, start), spaceBefore: true)
        }
        func token(_ kind: Token.Kind) -> Token {
            Token(kind, SourceRange(start, position), spaceBefore: spaceBefore)
        }
        if character == "\n" {
            advance()
            return Token(.newline, SourceRange(start, start), spaceBefore: spaceBefore)
        }
        if character.isNumber && character.isASCII {
            return token(.number(try lexNumber(start: start)))
        }
        if character == "\"" {
            return token(.string(try lexString(start: start)))
        }
        if character == "_" || character.isLetter {
            var word = ""
            while let c = peek(), c == "_" || c.isLetter || (c.isNumber && c.isASCII) {
                word.append(c)
                advance()
            }
            return token(.word(word))
        }
        advance()
        switch character {
        case "(": groupDepth += 1; return token(.leftParen)
        case ")": groupDepth = max(0, groupDepth - 1); return token(.rightParen)
        case "[": groupDepth += 1; return token(.leftBracket)
        case "]": groupDepth = max(0, groupDepth - 1); return token(.rightBracket)
        case "{": return token(.leftBrace)
        case "}": return token(.rightBrace)
        case ",": return token(.comma)
        case ";": return token(.semicolon)
        case ".": return token(.dot)
        case ":": return token(.colon)
        case "=": return token(.equals)
        case "+": return token(.plus)
        case "-": return token(.minus)
        case "*": return token(.star)
        case "/": return token(.slash)
        case "%": return token(.percent)
        default:
            let hint: String
            switch character {
            case "'", "“", "”", "‘", "’": hint = "strings use straight double quotes: \"Baum\""
            case "<", ">", "!", "&", "|": hint = "the language has + - * / % for numbers; there are no comparisons"
            default: hint = "names are letters, digits and _; see `:help` for the syntax"
            }
            throw NotebookError(.syntax, "unexpected character '\(character)'", at: SourceRange(start, position),
                                hint: hint, source: source)
        }
    }

    private mutating func lexNumber(start: SourcePosition) throws(NotebookError) -> Double {
        var text = ""
        func digits() {
            while let c = peek(), (c.isNumber && c.isASCII) || c == "_" {
                if c != "_" { text.append(c) }
                advance()
            }
        }
        digits()
        if peek() == ".", let next = peek(1), next.isNumber, next.isASCII {
            text.append(".")
            advance()
            digits()
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let hasSign = sign == "+" || sign == "-"
            if let digit = peek(hasSign ? 2 : 1), digit.isNumber, digit.isASCII {
                text.append("e")
                advance()
                if hasSign, let sign {
                    text.append(sign)
                    advance()
                }
                digits()
            }
        }
        if let c = peek(), c.isLetter || c == "_" {
            while let c = peek(), c.isLetter || c.isNumber || c == "_" { advance() }
            throw NotebookError(.syntax, "malformed number '\(source.text(of: SourceRange(start, position)))'",
                                at: SourceRange(start, position),
                                hint: "numbers look like 12, 0.5 or 3e-4; names cannot start with a digit", source: source)
        }
        guard let value = Double(text), value.isFinite else {
            throw NotebookError(.syntax, "number '\(text)' is too large", at: SourceRange(start, position), source: source)
        }
        return value
    }

    private mutating func lexString(start: SourcePosition) throws(NotebookError) -> String {
        advance()  // opening quote
        var value = ""
        while let c = peek() {
            if c == "\"" {
                advance()
                return value
            }
            if c == "\n" { break }
            if c == "\\" {
                let escapeStart = position
                advance()
                guard let escaped = peek(), escaped != "\n" else { break }
                advance()
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                default:
                    throw NotebookError(.syntax, "unknown escape '\\\(escaped)' in a string",
                                        at: SourceRange(escapeStart, position),
                                        hint: "the escapes are \\n, \\t, \\\" and \\\\; write \\\\ for a backslash", source: source)
                }
                continue
            }
            value.append(c)
            advance()
        }
        throw NotebookError(.syntax, "unterminated string", at: SourceRange(start, position),
                            hint: "close the string with \" on the same line", source: source)
    }
}
