import Foundation

/// The width of the terminal a stream writes to, for lines that must not wrap (progress lines,
/// whose in-place rewrite erases only the last row) and tables fitted to the screen (`:vars`).
public enum TerminalWidth {
    /// Columns of the terminal on `descriptor`, nil when it is not a terminal (or reports 0).
    public static func columns(of descriptor: Int32) -> Int? {
        guard isatty(descriptor) == 1 else { return nil }
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// `text` cut to fit in `columns` columns (one left free, so the cursor does not wrap), with
    /// `…` where it was cut.
    public static func fit(_ text: String, columns: Int?) -> String {
        guard let columns, columns > 1, text.count > columns - 1 else { return text }
        return String(text.prefix(columns - 2)) + "…"
    }
}
