import Foundation
import Platform

/// Where statements print. Everything shown through it is also recorded for the current cell,
/// so `:export` can write each cell's output; progress lines are shown but not recorded (only
/// their final line is).
///
/// Text goes to the standard output and error writers. Values, figures and errors go to a
/// ``RichDisplay`` when the front end has one (the Jupyter kernel), else they are written as text.
public final class NotebookOutput: ProgressDisplay {
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void
    /// Whether progress lines rewrite themselves in place (standard error is a terminal, or the
    /// rich display updates them); otherwise each is a plain line, written only now and then.
    public let isTerminal: Bool
    /// The front end's rich display, when it has one.
    public let richDisplay: (any RichDisplay)?
    /// The terminal's width in columns, asked each time (the window may be resized); nil when
    /// the output is not a terminal. Progress lines are cut to it, and `:vars` fits its table.
    public let columns: () -> Int?
    /// Progress lines on standard error, when there is no rich display.
    private let statusLine: StatusLine
    private var record: [CellOutput] = []
    private var richStatusShowing = false

    /// Creates an output with writers for standard output and standard error, and optionally a
    /// rich display for values, figures, errors and progress.
    public init(isTerminal: Bool, standardOutput: @escaping (String) -> Void, standardError: @escaping (String) -> Void,
                richDisplay: (any RichDisplay)? = nil, columns: @escaping () -> Int? = { nil }) {
        self.isTerminal = isTerminal
        self.writeOut = standardOutput
        self.writeErr = standardError
        self.richDisplay = richDisplay
        self.columns = columns
        statusLine = StatusLine(isTerminal: isTerminal, columns: columns, write: standardError)
    }

    /// The process's standard output and error; progress rewrites itself only when standard error
    /// is a terminal (`isatty(2)`), so logs and pipes get plain lines instead of `\r` runs.
    public static func standard(isTerminal: Bool = isatty(STDERR_FILENO) == 1) -> NotebookOutput {
        NotebookOutput(isTerminal: isTerminal,
                       standardOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
                       standardError: { FileHandle.standardError.write(Data($0.utf8)) },
                       columns: { TerminalWidth.columns(of: STDERR_FILENO) ?? TerminalWidth.columns(of: STDOUT_FILENO) })
    }

    /// An output that collects everything in memory (for tests and `-e` captures).
    public static func capturing() -> (NotebookOutput, () -> String) {
        final class Buffer: @unchecked Sendable { var text = "" }
        let buffer = Buffer()
        let output = NotebookOutput(isTerminal: false, standardOutput: { buffer.text += $0 },
                                    standardError: { buffer.text += $0 })
        return (output, { buffer.text })
    }

    /// Prints a line (a newline is added) on standard output and records it.
    public func print(_ text: String) {
        clearStatus()
        writeOut(text + "\n")
        record.append(.standardOutput(text + "\n"))
    }

    /// Prints a line on standard error and records it.
    public func printError(_ text: String) {
        clearStatus()
        writeErr(text + "\n")
        record.append(.standardError(text + "\n"))
    }

    /// Shows a statement's value (its ``Value/displayText`` on a text front end) and records it.
    public func show(_ value: Value) {
        clearStatus()
        record.append(.value(value))
        if let richDisplay { richDisplay.show(value) } else { writeOut(value.displayText + "\n") }
    }

    /// Shows an image a verb made (text front ends show nothing: the verb's value names the file)
    /// and records it.
    public func show(_ figure: Figure) {
        record.append(.figure(figure))
        richDisplay?.show(figure)
    }

    /// Shows the error that ended a cell or a session command on standard error, and records it.
    public func report(_ error: NotebookError) {
        clearStatus()
        record.append(.error(error))
        if let richDisplay { richDisplay.report(error) } else { writeErr(error.shownText + "\n") }
    }

    /// Shows a transient status line (progress). On a terminal it replaces the previous one in
    /// place; otherwise each status is a line of its own on standard error. Not recorded.
    public func status(_ text: String) {
        if let richDisplay {
            richDisplay.status(text)
            richStatusShowing = true
        } else {
            statusLine.show(text)
        }
    }

    /// Removes a status line left on the terminal.
    public func clearStatus() {
        guard let richDisplay else { return statusLine.clear() }
        guard richStatusShowing else { return }
        richStatusShowing = false
        richDisplay.status(nil)
    }

    /// Returns what was recorded since the last call, in order, and starts a new record.
    public func takeOutputs() -> [CellOutput] {
        defer { record = [] }
        return record
    }

    /// Returns the text recorded since the last call (as a terminal showed it), and starts a new record.
    public func takeRecord() -> String {
        takeOutputs().map(\.text).joined()
    }
}
