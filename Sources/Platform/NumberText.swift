import Foundation

/// Numbers as people read them in messages, tables and progress lines.
public enum NumberText {
    /// Whole numbers without a decimal point (`3`, not `3.0`), others with `significantDigits`
    /// significant digits (`0.0123`, `1.5e-05`); `nan`, `inf`, `-inf`.
    public static func format(_ value: Double, significantDigits: Int = 6) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(format: "%.\(significantDigits)g", value)
    }

    /// A measured time with its unit, three significant digits: `88 µs`, `8.8 ms`, `1.5 s`,
    /// `95.2 s`; from ten minutes on, as a clock with the seconds (`12:34 (754 s)`).
    public static func elapsed(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return format(seconds) + " s" }
        if seconds < 1e-3 { return format(seconds * 1e6, significantDigits: 3) + " µs" }
        if seconds < 1 { return format(seconds * 1e3, significantDigits: 3) + " ms" }
        if seconds < 600 { return format(seconds, significantDigits: 3) + " s" }
        return "\(duration(seconds)) (\(Int(seconds.rounded())) s)"
    }

    /// A duration as a clock: `0:07`, `12:34`, `1:02:03`.
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
