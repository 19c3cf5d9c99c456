import Foundation
import Platform

/// Tables as CSV (RFC 4180): what `export TABLE to "x.csv"` writes.
extension Table {
    /// The header line and one line per row, `\r\n`-separated as RFC 4180 has it. Numbers are
    /// written as the shortest text that reads back as the same number (`0.1`, `3`), `none` as
    /// an empty field, lists and other values as their one-line text; fields with a comma, quote
    /// or line break are quoted, with quotes doubled.
    public func csv() -> String {
        var lines = [columns.map(Self.field).joined(separator: ",")]
        for row in rows {
            lines.append(row.map { value in
                switch value {
                case .number(let number):
                    return number == number.rounded() && abs(number) < 1e15 ? NumberText.format(number) : "\(number)"
                case .none: return ""
                default: return Self.field(value.plainText)
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
