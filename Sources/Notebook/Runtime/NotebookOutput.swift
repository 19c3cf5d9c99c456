import Foundation
import Platform

/// Where statements print. Everything printed through it is also recorded for the current cell,
/// so `:export` can write each cell's output; progress lines are shown but not recorded (only
/// their final line is).
public final class NotebookOutput: ProgressDisplay {
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void
    /// Progress lines on standard error.
    private let statusLine: StatusLine
    private var record = ""

    /// Creates an output with writers for standard output and standard error.
    public init(isTerminal: Bool, standardOutput: @escaping (String) -> Void, standardError: @escaping (String) -> Void) {
        self.writeOut = standardOutput
        self.writeErr = standardError
        statusLine = StatusLine(isTerminal: isTerminal, write: standardError)
    }

    /// Whether standard error, where progress lines go, is a terminal: progress lines then rewrite
    /// themselves with `\r`; otherwise each is a plain line, written only now and then.
    public var isTerminal: Bool { statusLine.isTerminal }

    /// The process's standard output and error; progress rewrites itself only when standard error
    /// is a terminal (`isatty(2)`), so logs and pipes get plain lines instead of `\r` runs.
    public static func standard(isTerminal: Bool = isatty(STDERR_FILENO) == 1) -> NotebookOutput {
        NotebookOutput(isTerminal: isTerminal,
                       standardOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
                       standardError: { FileHandle.standardError.write(Data($0.utf8)) })
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
        record += text + "\n"
    }

    /// Prints a line on standard error and records it.
    public func printError(_ text: String) {
        clearStatus()
        writeErr(text + "\n")
        record += text + "\n"
    }

    /// Shows a transient status line (progress). On a terminal it replaces the previous one in
    /// place; otherwise each status is a line of its own on standard error. Not recorded.
    public func status(_ text: String) {
        statusLine.show(text)
    }

    /// Removes a status line left on the terminal.
    public func clearStatus() {
        statusLine.clear()
    }

    /// Returns what was recorded since the last call, and starts a new record.
    public func takeRecord() -> String {
        defer { record = "" }
        return record
    }
}
