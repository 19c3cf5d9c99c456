import Foundation

/// Where progress goes: a transient status line while work runs, and a final line that stays.
/// The notebook's output (which also records the final line for the cell) and ``ConsoleDisplay``
/// (the command-line tools) are the two displays.
public protocol ProgressDisplay: AnyObject {
    /// Whether status lines rewrite themselves in place (a terminal) or are plain lines (logs, pipes).
    var isTerminal: Bool { get }
    /// Shows a transient status line.
    func status(_ text: String)
    /// Removes a status line left on the terminal.
    func clearStatus()
    /// Prints a line that stays (a newline is added).
    func print(_ text: String)
}

/// A status line on a stream: on a terminal each status replaces the previous one in place
/// (`\r` and erase-to-end-of-line), cut to the terminal's width (a wrapped status would leave its
/// first rows behind, as the erase reaches only the last); elsewhere each status is a line of its
/// own, so logs and pipes never get runs of `\r`.
public final class StatusLine {
    /// Whether the stream is a terminal.
    public let isTerminal: Bool
    private let write: (String) -> Void
    private let columns: () -> Int?
    private var showing = false

    /// A status line written through `write` to a terminal `columns` wide (asked at each status,
    /// as the window may be resized; nil when unknown).
    public init(isTerminal: Bool, columns: @escaping () -> Int? = { nil }, write: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        self.columns = columns
        self.write = write
    }

    /// Shows `text`, replacing the previous status on a terminal.
    public func show(_ text: String) {
        if isTerminal {
            write("\r\u{1B}[K" + TerminalWidth.fit(text, columns: columns()))
            showing = true
        } else {
            write(text + "\n")
        }
    }

    /// Erases a status left on the terminal.
    public func clear() {
        if showing {
            write("\r\u{1B}[K")
            showing = false
        }
    }
}

/// The command-line tools' display: status on standard error (rewritten in place when it is a
/// terminal), final lines on standard output.
public final class ConsoleDisplay: ProgressDisplay {
    private let line: StatusLine

    /// A display on this process's standard streams.
    public init(isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        line = StatusLine(isTerminal: isTerminal, columns: { TerminalWidth.columns(of: STDERR_FILENO) }) {
            FileHandle.standardError.write(Data($0.utf8))
        }
    }

    public var isTerminal: Bool { line.isTerminal }

    public func status(_ text: String) { line.show(text) }

    public func clearStatus() { line.clear() }

    public func print(_ text: String) {
        line.clear()
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
