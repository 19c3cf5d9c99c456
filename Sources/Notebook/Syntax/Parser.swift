/// Parses tokens into statements. The grammar (EBNF; Docs/language.md has the full page):
///
///     program    = { sep } [ statement { sep { sep } statement } { sep } ] END ;
///     sep        = NEWLINE | ";" ;
///     statement  = "let" NAME "=" command
///                | "for" NAME "in" command block
///                | command ;
///     block      = "{" { sep } [ statement { sep { sep } statement } { sep } ] "}" ;
///     command    = VERB { argument } | expression ;
///     argument   = NAME ":" expression | CONNECTOR expression | expression ;
///     expression = term { ( "+" | "-" ) term } ;
///     term       = unary { ( "*" | "/" | "%" ) unary } ;
///     unary      = "-" unary | postfix ;
///     postfix    = primary { "." NAME | "[" expression "]" | "[" [ expression ] ":" [ expression ] "]" } ;
///                                                               (no space before "[")
///     primary    = NUMBER | STRING | "true" | "false" | "none" | NAME
///                | "[" [ expression { "," expression } [ "," ] ] "]"
///                | "(" command ")" ;
///
/// Inside a verb's arguments, `-` with a space before it and none after starts a new argument
/// (`range -5 5`), so negative numbers read as written.
public struct Parser {
    private let source: SourceText
    private let vocabulary: Vocabulary
    private let tokens: [Token]
    private var index = 0
    /// Opening tokens of the blocks, lists and parentheses being parsed: running out of input
    /// inside one makes the error `.incomplete`, so the REPL asks for another line.
    private var openers: [Token] = []

    /// Parses a whole source into statements.
    public static func parse(_ source: SourceText, vocabulary: Vocabulary) throws(NotebookError) -> [Statement] {
        var parser = try Parser(source: source, vocabulary: vocabulary)
        return try parser.parseProgram()
    }

    /// Parses a source that must hold one expression, used for `--set name=value` literals.
    public static func parseExpression(_ source: SourceText, vocabulary: Vocabulary) throws(NotebookError) -> Expression {
        var parser = try Parser(source: source, vocabulary: vocabulary)
        let expression = try parser.parseExpression(inArguments: false)
        parser.skipSeparators()
        guard parser.current.kind == .end else {
            throw parser.error("unexpected \(parser.current.quoted) after the value", at: parser.current.range)
        }
        return expression
    }

    private init(source: SourceText, vocabulary: Vocabulary) throws(NotebookError) {
        self.source = source
        self.vocabulary = vocabulary
        self.tokens = try Lexer.tokenize(source)
    }

    // MARK: - Tokens

    private var current: Token { tokens[index] }
    private var nextToken: Token { tokens[min(index + 1, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func error(_ message: String, at range: SourceRange, hint: String? = nil) -> NotebookError {
        if current.kind == .end, let opener = openers.last {
            let closer: String
            switch opener.kind {
            case .leftBrace: closer = "}"
            case .leftBracket: closer = "]"
            default: closer = ")"
            }
            return NotebookError(.incomplete, "the input ended before the \(opener.quoted) opened here was closed",
                                 at: opener.range, hint: "add '\(closer)'", source: source)
        }
        return NotebookError(.syntax, message, at: range, hint: hint, source: source)
    }

    private mutating func expect(_ kind: Token.Kind, _ what: String, hint: String? = nil) throws(NotebookError) -> Token {
        guard current.kind == kind else {
            throw error("expected \(what), found \(current.quoted)", at: current.range, hint: hint)
        }
        return advance()
    }

    private var atSeparator: Bool { current.kind == .newline || current.kind == .semicolon }

    private mutating func skipSeparators() {
        while atSeparator { advance() }
    }

    // MARK: - Statements

    private mutating func parseProgram() throws(NotebookError) -> [Statement] {
        try parseStatements(until: .end)
    }

    private mutating func parseStatements(until terminator: Token.Kind) throws(NotebookError) -> [Statement] {
        var statements: [Statement] = []
        skipSeparators()
        while current.kind != terminator {
            if current.kind == .end { throw error("unexpected end of input", at: current.range) }
            statements.append(try parseStatement())
            guard atSeparator || current.kind == terminator else {
                throw error("unexpected \(current.quoted) after the statement", at: current.range,
                            hint: "put one statement per line, or separate statements with ';'")
            }
            skipSeparators()
        }
        return statements
    }

    private mutating func parseStatement() throws(NotebookError) -> Statement {
        let start = current.range
        operators = 0
        switch current.word {
        case "let":
            advance()
            let (name, nameRange) = try parseBindingName(after: "let")
            _ = try expect(.equals, "'=' after 'let \(name)'", hint: "write: let \(name) = value")
            let value = try parseCommand()
            return Statement(.assignment(name: name, nameRange: nameRange, value: value), start.union(value.range))
        case "for":
            let forToken = advance()
            let (name, nameRange) = try parseBindingName(after: "for")
            guard current.word == "in" else {
                throw error("expected 'in' after 'for \(name)', found \(current.quoted)", at: current.range,
                            hint: "write: for \(name) in list { … }")
            }
            advance()
            let sequence = try parseCommand()
            guard current.kind == .leftBrace else {
                throw error("expected '{' to start the loop's body, found \(current.quoted)", at: current.range,
                            hint: "write: for \(name) in list { statements } — the '{' goes on the same line")
            }
            guard openers.count < Self.maximumNesting else {
                throw error("blocks are nested more than \(Self.maximumNesting) deep", at: current.range)
            }
            let opener = advance()
            openers.append(opener)
            let body = try parseStatements(until: .rightBrace)
            openers.removeLast()
            let close = advance()
            return Statement(.loop(name: name, nameRange: nameRange, sequence: sequence, body: body),
                             forToken.range.union(close.range))
        default:
            let command = try parseCommand()
            return Statement(.command(command), command.range)
        }
    }

    private mutating func parseBindingName(after keyword: String) throws(NotebookError) -> (String, SourceRange) {
        guard let name = current.word else {
            throw error("expected a name after '\(keyword)', found \(current.quoted)", at: current.range,
                        hint: "names are letters, digits and _, starting with a letter")
        }
        let range = current.range
        if vocabulary.isReserved(name) {
            throw error("'\(name)' is a reserved word and cannot name a variable", at: range, hint: "choose another name")
        }
        if vocabulary.verbs.contains(name) {
            // A verb's name at the start of a statement always calls the verb (`train m on d`),
            // so a variable of that name could never be used there: the clash is refused.
            throw error("'\(name)' is a verb, so it cannot name a variable: `\(name) …` at the start of a line calls the verb",
                        at: range, hint: "name it after what it holds, for example: \(keyword) \(Self.alternativeName(for: name, vocabulary: vocabulary)) …")
        }
        if name.first == "_" {
            throw error("names starting with '_' are kept for results (_, _1, _2, …)", at: range,
                        hint: "choose a name that starts with a letter")
        }
        advance()
        return (name, range)
    }

    /// A name for a variable that clashes with a verb: `train` → `train_set` (the training split
    /// is the usual clash), `sample` → `my_sample`; never itself a verb or reserved.
    static func alternativeName(for verb: String, vocabulary: Vocabulary) -> String {
        let candidates = verb == "train" ? ["train_set", "train_data"] : ["my_" + verb, verb + "_1"]
        for candidate in candidates where !vocabulary.verbs.contains(candidate) && !vocabulary.isReserved(candidate) {
            return candidate
        }
        return verb + "_value"
    }

    // MARK: - Commands and arguments

    /// A verb call or an expression.
    private mutating func parseCommand() throws(NotebookError) -> Expression {
        guard let word = current.word, !vocabulary.isReserved(word) else {
            return try parseExpression(inArguments: false)
        }
        if vocabulary.verbs.contains(word) {
            return try parseCall()
        }
        if startsArgument(nextToken) {
            let suggestion = Suggestions.didYouMean(word, among: vocabulary.verbs)
            throw error("unknown verb '\(word)'\(suggestion)", at: current.range,
                        hint: suggestion.isEmpty ? "`:help` lists the verbs" : nil)
        }
        return try parseExpression(inArguments: false)
    }

    /// Whether `token` (after a name in command position) reads as the start of an argument.
    private func startsArgument(_ token: Token) -> Bool {
        switch token.kind {
        case .number, .string, .word, .leftParen: return true
        case .leftBracket: return token.spaceBefore
        default: return false
        }
    }

    private mutating func parseCall() throws(NotebookError) -> Expression {
        let nameToken = advance()
        let name = nameToken.word!
        var arguments: [VerbCall.Argument] = []
        var range = nameToken.range
        while !endsArguments(current.kind) {
            let argument: VerbCall.Argument
            if let word = current.word, nextToken.kind == .colon, !vocabulary.isReserved(word) {
                let label = advance()
                advance()  // ':'
                guard !endsArguments(current.kind) else {
                    throw error("expected a value after '\(word):'", at: current.range, hint: "write: \(word): value")
                }
                argument = .init(label: .named(word), labelRange: label.range, value: try parseExpression(inArguments: true))
            } else if let word = current.word, vocabulary.connectors.contains(word) {
                let label = advance()
                guard !endsArguments(current.kind) else {
                    throw error("expected a value after '\(word)'", at: current.range)
                }
                argument = .init(label: .connector(word), labelRange: label.range, value: try parseExpression(inArguments: true))
            } else {
                argument = .init(label: .positional, labelRange: nil, value: try parseExpression(inArguments: true))
            }
            range = range.union(argument.range)
            arguments.append(argument)
        }
        return Expression(.call(VerbCall(name: name, nameRange: nameToken.range, arguments: arguments)), range)
    }

    private func endsArguments(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .newline, .semicolon, .end, .rightParen, .rightBracket, .rightBrace, .leftBrace, .comma: return true
        default: return false
        }
    }

    // MARK: - Expressions

    /// Deeper nesting than this is refused rather than risking the stack.
    static let maximumNesting = 200
    /// Longer operator chains than this are refused: evaluation recurses once per operator.
    static let maximumOperators = 1000
    private var nesting = 0
    private var operators = 0

    private mutating func countOperator(_ token: Token) throws(NotebookError) {
        operators += 1
        guard operators <= Self.maximumOperators else {
            throw error("the statement has more than \(Self.maximumOperators) operators", at: token.range,
                        hint: "split it into several statements with let")
        }
    }

    private mutating func parseExpression(inArguments: Bool) throws(NotebookError) -> Expression {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting else {
            throw error("expressions are nested more than \(Self.maximumNesting) deep", at: current.range,
                        hint: "split the statement with let")
        }
        var left = try parseTerm(inArguments: inArguments)
        while true {
            let op: Expression.Operator
            switch current.kind {
            case .plus: op = .add
            case .minus:
                // `range -5 5`: a minus glued to the next token starts a new argument.
                if inArguments && current.spaceBefore && !nextToken.spaceBefore { return left }
                op = .subtract
            default: return left
            }
            try countOperator(advance())
            let right = try parseTerm(inArguments: inArguments)
            left = Expression(.binary(op, left, right), left.range.union(right.range))
        }
    }

    private mutating func parseTerm(inArguments: Bool) throws(NotebookError) -> Expression {
        var left = try parseUnary(inArguments: inArguments)
        while true {
            let op: Expression.Operator
            switch current.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            case .percent: op = .remainder
            default: return left
            }
            try countOperator(advance())
            let right = try parseUnary(inArguments: inArguments)
            left = Expression(.binary(op, left, right), left.range.union(right.range))
        }
    }

    private mutating func parseUnary(inArguments: Bool) throws(NotebookError) -> Expression {
        if current.kind == .minus {
            let minus = advance()
            try countOperator(minus)
            let operand = try parseUnary(inArguments: inArguments)
            if case .number(let value) = operand.kind {
                return Expression(.number(-value), minus.range.union(operand.range))
            }
            return Expression(.negate(operand), minus.range.union(operand.range))
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(NotebookError) -> Expression {
        var base = try parsePrimary()
        while true {
            if current.kind == .dot {
                advance()
                guard let name = current.word else {
                    throw error("expected a member name after '.', found \(current.quoted)", at: current.range,
                                hint: "for example d.count or s.frames")
                }
                let nameToken = advance()
                base = Expression(.member(base, name: name, nameRange: nameToken.range), base.range.union(nameToken.range))
            } else if current.kind == .leftBracket && !current.spaceBefore {
                let opener = advance()
                openers.append(opener)
                let start = current.kind == .colon ? nil : try parseExpression(inArguments: false)
                if current.kind == .colon {
                    advance()
                    let end = current.kind == .rightBracket ? nil : try parseExpression(inArguments: false)
                    let close = try expect(.rightBracket, "']' to close the slice", hint: "a slice is xs[start:end], for example d[0:3]")
                    openers.removeLast()
                    base = Expression(.slice(base, start: start, end: end), base.range.union(close.range))
                    continue
                }
                let close = try expect(.rightBracket, "']' to close the index", hint: "an index is xs[0]; a slice is xs[0:3]")
                openers.removeLast()
                base = Expression(.index(base, start!), base.range.union(close.range))
            } else {
                return base
            }
        }
    }

    private mutating func parsePrimary() throws(NotebookError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return Expression(.number(value), token.range)
        case .string(let value):
            advance()
            return Expression(.string(value), token.range)
        case .word(let word):
            switch word {
            case "true": advance(); return Expression(.bool(true), token.range)
            case "false": advance(); return Expression(.bool(false), token.range)
            case "none": advance(); return Expression(.none, token.range)
            default: break
            }
            if vocabulary.isReserved(word) {
                throw error("'\(word)' cannot be used as a value here", at: token.range,
                            hint: vocabulary.connectors.contains(word) ? "'\(word)' connects a verb's arguments, as in: render s to \"out/s\"" : nil)
            }
            if vocabulary.verbs.contains(word) {
                throw error("the verb '\(word)' needs parentheses inside an expression", at: token.range,
                            hint: "write (\(word) …) to use its result as a value")
            }
            advance()
            return Expression(.variable(word), token.range)
        case .leftBracket:
            let opener = advance()
            openers.append(opener)
            var elements: [Expression] = []
            while current.kind != .rightBracket {
                elements.append(try parseExpression(inArguments: false))
                if current.kind == .comma {
                    advance()
                } else if current.kind != .rightBracket {
                    throw error("expected ',' or ']' in the list, found \(current.quoted)", at: current.range,
                                hint: "separate list elements with commas: [1, 2, 3]")
                }
            }
            openers.removeLast()
            let close = advance()
            return Expression(.list(elements), opener.range.union(close.range))
        case .leftParen:
            let opener = advance()
            openers.append(opener)
            var inner = try parseCommand()
            let close = try expect(.rightParen, "')'")
            openers.removeLast()
            inner.range = opener.range.union(close.range)
            return inner
        case .colon where token.range.start.column == 1:
            throw error("expected a value, found ':'", at: token.range,
                        hint: "session commands such as :help work in the REPL, piped input and -e, not in scripts")
        default:
            throw error("expected a value, found \(token.quoted)", at: token.range,
                        hint: "a value is a number, a \"string\", a [list], a name, or (verb …)")
        }
    }
}
