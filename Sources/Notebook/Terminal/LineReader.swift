/// What reading a line gave.
public enum LineInput: Equatable, Sendable {
    /// A line, without its newline.
    case line(String)
    /// Ctrl-C while editing: the line is dropped.
    case interrupted
    /// Ctrl-D or the end of input.
    case end
}

/// A source of input lines for the REPL.
public protocol LineReader: AnyObject {
    /// Reads a line, showing `prompt` when the reader shows prompts.
    func read(prompt: String) -> LineInput
    /// Keeps a whole cell (its lines joined by newlines) as one history entry, so a block typed
    /// over several lines comes back with one key press.
    func remember(_ cell: String)
}

extension LineReader {
    /// Readers without history keep nothing.
    public func remember(_ cell: String) {}
}

/// Reads standard input line by line, without prompts or editing (piped input, scripts).
public final class PlainLineReader: LineReader {
    /// Creates a reader of standard input.
    public init() {}

    public func read(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .end }
        return .line(line)
    }
}
