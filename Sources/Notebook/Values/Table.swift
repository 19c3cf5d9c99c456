/// A result table: named columns and rows of values, shown with aligned columns.
///
/// Tables are values: `t[0]` is a row (a list), `t.columns` the column names, and `t.NAME` a
/// column's values, so results such as evaluation tables can be used in later statements.
public struct Table {
    /// A title printed above the table.
    public var title: String?
    /// Column names.
    public var columns: [String]
    /// Rows, each with one value per column.
    public var rows: [[Value]]
    /// A line printed under the table (for example "first 10 of 120 samples").
    public var footnote: String?

    /// Creates a table; every row must have `columns.count` values.
    public init(title: String? = nil, columns: [String], rows: [[Value]] = [], footnote: String? = nil) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one value per column")
        self.title = title
        self.columns = columns
        self.rows = rows
        self.footnote = footnote
    }

    /// Appends a row; it must have one value per column.
    public mutating func append(_ row: [Value]) {
        precondition(row.count == columns.count, "every row needs one value per column")
        rows.append(row)
    }

    /// The values of the column `name`, or nil when there is no such column.
    public func column(_ name: String) -> [Value]? {
        columns.firstIndex(of: name).map { index in rows.map { $0[index] } }
    }

    /// How many rows a table shows when it is a statement's value; `show t rows: N` shows more.
    public static let displayedRows = 20

    /// The table as aligned text: numeric columns right-aligned, others left-aligned, cells longer
    /// than `maxCellWidth` characters shortened with `…`. With `maxRows`, only the first rows are
    /// listed and a line under them says how many there are and how to see them all.
    public func rendered(maxCellWidth: Int = 48, maxRows: Int? = nil) -> String {
        let shownRows = maxRows.map { Array(rows.prefix(max(0, $0))) } ?? rows
        let cells = shownRows.map { row in row.map { Self.clip($0.inlineText, to: maxCellWidth) } }
        let rightAligned = columns.indices.map { column in
            rows.contains { if case .number = $0[column] { return true } else { return false } }
                && rows.allSatisfy { row in
                    switch row[column] {
                    case .number, .none: return true
                    default: return false
                    }
                }
        }
        let widths = columns.indices.map { column in
            max(columns[column].count, cells.map { $0[column].count }.max() ?? 0)
        }
        func line(_ values: [String]) -> String {
            var parts: [String] = []
            for (column, value) in values.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - value.count)
                parts.append(rightAligned[column] ? padding + value : value + padding)
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines: [String] = []
        if let title { lines.append(title) }
        lines.append(line(columns))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        lines.append(contentsOf: cells.map(line))
        if shownRows.count < rows.count {
            lines.append("first \(shownRows.count) of \(rows.count) rows (show TABLE rows: \(rows.count) lists them all)")
        }
        if let footnote { lines.append(footnote) }
        return lines.joined(separator: "\n")
    }

    private static func clip(_ text: String, to width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
    }
}
