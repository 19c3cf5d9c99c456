import Foundation

/// How the notebook language and its outputs look to Jupyter: the language's description and the
/// MIME bundles of values, figures and errors. One definition, used by the kernel's messages and by
/// `:export FILE.ipynb`, so a live notebook and an exported one show the same thing.
public enum JupyterOutput {
    /// The kernelspec's name (`hybridsign`), which `.ipynb` files name to pick the kernel.
    public static let kernelName = "hybridsign"
    /// The name Jupyter's launcher shows.
    public static let displayName = "HybridSign"

    /// `language_info` of `kernel_info_reply` and of a notebook's metadata.
    public static let languageInfo: JSONValue = [
        "name": "hybridsign",
        "version": "1",
        "mimetype": "text/x-hybridsign",
        "file_extension": ".hsl",
        "pygments_lexer": "text",
        "codemirror_mode": "text/plain",
        "nbconvert_exporter": "script",
    ]

    /// `kernelspec` of a notebook's metadata.
    public static let kernelspecMetadata: JSONValue = [
        "name": .string(kernelName), "display_name": .string(displayName), "language": "hybridsign",
    ]

    /// The MIME bundle of a value: its text as the REPL shows it, and an HTML table for tables.
    public static func bundle(for value: Value) -> [String: JSONValue] {
        var bundle: [String: JSONValue] = ["text/plain": .string(value.displayText)]
        if case .table(let table) = value { bundle["text/html"] = .string(table.html()) }
        return bundle
    }

    /// The MIME bundle of a figure: the image (base64) and its caption as text.
    public static func bundle(for figure: Figure) -> [String: JSONValue] {
        [figure.format.mimeType: .string(figure.data.base64EncodedString()),
         "text/plain": .string(figure.caption ?? figure.fileName)]
    }

    /// The error's name (`SyntaxError`, `Error`, `Interrupted`), value (the message) and
    /// traceback (the message with the source line, caret and hint, one line per element), as
    /// Jupyter's `error` output has them.
    public static func errorParts(_ error: NotebookError) -> (name: String, value: String, traceback: [String]) {
        let name: String
        switch error.kind {
        case .syntax, .incomplete: name = "SyntaxError"
        case .runtime: name = "Error"
        case .interrupted: name = "Interrupted"
        }
        let lines = error.shownText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return (name, error.message, lines)
    }

    /// The `error` output or message content of `error`.
    public static func errorContent(_ error: NotebookError) -> [String: JSONValue] {
        let parts = errorParts(error)
        return ["ename": .string(parts.name), "evalue": .string(parts.value),
                "traceback": .array(parts.traceback.map(JSONValue.string))]
    }
}

extension Table {
    /// The table as an HTML `<table>` (numeric columns right-aligned, others left-aligned, as
    /// ``rendered(maxCellWidth:)`` aligns them), with its title as a caption and its footnote under it.
    public func html() -> String {
        func escape(_ text: String) -> String {
            var result = ""
            for character in text {
                switch character {
                case "&": result += "&amp;"
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "\"": result += "&quot;"
                default: result.append(character)
                }
            }
            return result
        }
        let numeric = columns.indices.map { column in
            rows.contains { if case .number = $0[column] { return true } else { return false } }
        }
        var html = "<table>"
        if let title { html += "<caption>\(escape(title))</caption>" }
        func style(_ column: Int) -> String { " style=\"text-align: \(numeric[column] ? "right" : "left")\"" }
        html += "<thead><tr>" + columns.indices.map { "<th\(style($0))>\(escape(columns[$0]))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>"
            for (column, value) in row.enumerated() {
                html += "<td\(style(column))>\(escape(value.inlineText))</td>"
            }
            html += "</tr>"
        }
        html += "</tbody></table>"
        if let footnote { html += "<p>\(escape(footnote))</p>" }
        return html
    }
}
