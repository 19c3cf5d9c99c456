/// A front end that shows more than text: values as tables or text, figures as images, errors with
/// their parts, and progress lines updated in place. The Jupyter kernel is one; the terminal and
/// script front ends have none and get everything as text.
///
/// ``NotebookOutput`` calls it for what the session shows, after recording it for the cell.
public protocol RichDisplay: AnyObject {
    /// A statement's value (the REPL prints its ``Value/displayText``).
    func show(_ value: Value)
    /// An image a verb made.
    func show(_ figure: Figure)
    /// The error that ended a cell or a session command.
    func report(_ error: NotebookError)
    /// Shows or replaces the transient progress line; nil removes it.
    func status(_ line: String?)
}
