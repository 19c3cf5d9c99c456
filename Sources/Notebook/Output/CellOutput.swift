/// One piece of what a cell showed, in the order it was shown: the record that notebook exports
/// and rich front ends are made from.
public enum CellOutput {
    /// Text printed on standard output (`print`, `show`, verbs' reports).
    case standardOutput(String)
    /// Text printed on standard error (warnings, final progress lines of failed work).
    case standardError(String)
    /// A statement's value, shown as the cell's result.
    case value(Value)
    /// An image a verb made.
    case figure(Figure)
    /// The error that ended the cell.
    case error(NotebookError)

    /// The output as a terminal shows it: nothing for a figure.
    public var text: String {
        switch self {
        case .standardOutput(let text), .standardError(let text): return text
        case .value(let value): return value.displayText + "\n"
        case .figure: return ""
        case .error(let error): return error.shownText + "\n"
        }
    }
}

extension NotebookError {
    /// How a front end shows the error: the message with the source line, caret and hint; only
    /// "interrupted" for a statement stopped by Ctrl-C.
    public var shownText: String {
        kind == .interrupted ? "interrupted" : formatted()
    }
}
