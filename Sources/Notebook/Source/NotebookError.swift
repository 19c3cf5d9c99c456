/// An error in a notebook statement: what went wrong, where, and what to do about it.
///
/// Formatted with ``formatted()`` it reads
///
///     tour.hsl:3:9: unknown verb 'sampel' — did you mean 'sample'?
///         let s = sampel m "Baum"
///                 ^^^^^^
///         hint: `:help` lists the verbs
public struct NotebookError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; scripts and the REPL react to some kinds differently.
    public enum Kind: Sendable, Equatable {
        /// The text could not be read as the language (lexer or parser).
        case syntax
        /// The input ended inside a block, list, string or parentheses: the REPL asks for more.
        case incomplete
        /// A statement was well formed but failed while running.
        case runtime
        /// Ctrl-C stopped the statement.
        case interrupted
    }

    /// The kind of failure.
    public var kind: Kind
    /// One line saying what was wrong.
    public var message: String
    /// The source range at fault, when there is one.
    public var range: SourceRange?
    /// What the user can do about it, when there is something to say.
    public var hint: String?
    /// The source the range refers to, attached by whoever ran the statement.
    public var source: SourceText?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, at range: SourceRange? = nil, hint: String? = nil,
                source: SourceText? = nil) {
        self.kind = kind
        self.message = message
        self.range = range
        self.hint = hint
        self.source = source
    }

    /// Creates a runtime error.
    public init(_ message: String, at range: SourceRange? = nil, hint: String? = nil) {
        self.init(.runtime, message, at: range, hint: hint)
    }

    /// The error for a statement stopped by Ctrl-C.
    public static func interrupted(at range: SourceRange? = nil) -> NotebookError {
        NotebookError(.interrupted, "interrupted", at: range)
    }

    /// A copy with `range` filled in when it had none.
    public func located(at fallback: SourceRange?) -> NotebookError {
        var copy = self
        if copy.range == nil { copy.range = fallback }
        return copy
    }

    /// A copy with `source` filled in when it had none.
    public func attaching(_ source: SourceText) -> NotebookError {
        var copy = self
        if copy.source == nil { copy.source = source }
        return copy
    }

    /// `name:line:column: message`, the source line with a caret under the range, and the hint.
    public func formatted() -> String {
        var lines: [String] = []
        if let range, let source {
            lines.append("\(source.name):\(range.start.line):\(range.start.column): \(message)")
            for line in source.excerpt(for: range).split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append("    " + line)
            }
        } else if let source {
            lines.append("\(source.name): \(message)")
        } else {
            lines.append("error: \(message)")
        }
        if let hint { lines.append("    hint: \(hint)") }
        return lines.joined(separator: "\n")
    }

    public var description: String { formatted() }
}
