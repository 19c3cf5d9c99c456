import Foundation

/// Writes a session as a Markdown notebook: each cell's statements, its output, and links to the
/// files it made, with images embedded, so the session can be shared and read.
public enum NotebookExporter {
    /// The Markdown text for `cells`; file links are made relative to `directory` (where the
    /// notebook will be written) so the notebook and its images can move together.
    public static func markdown(_ cells: [Cell], relativeTo directory: URL, title: String = "HybridSign notebook",
                                date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        var lines = ["# \(title)", "",
                     "Exported \(formatter.string(from: date)) · \(cells.count) \(cells.count == 1 ? "cell" : "cells")", ""]
        for cell in cells {
            lines.append("## [\(cell.number)]\(cell.succeeded ? "" : cell.interrupted ? " (interrupted)" : " (error)")")
            lines.append("")
            lines.append(contentsOf: fenced(cell.source.trimmingCharacters(in: .newlines), language: "hsl"))
            let output = cell.output.trimmingCharacters(in: .newlines)
            if !output.isEmpty {
                lines.append("")
                lines.append(contentsOf: fenced(output, language: "text"))
            }
            for artifact in cell.artifacts {
                let link = relativePath(artifact.path, from: directory)
                let caption = artifact.caption ?? (artifact.path as NSString).lastPathComponent
                lines.append("")
                switch artifact.kind {
                case .image: lines.append("![\(escaped(caption))](\(encoded(link)))")
                case .directory, .data: lines.append("[\(escaped(caption))](\(encoded(link)))")
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// A fenced code block whose fence is longer than any run of backticks inside it.
    static func fenced(_ text: String, language: String) -> [String] {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return [fence + language, text, fence]
    }

    /// `path` relative to `directory` (both resolved against the current directory).
    static func relativePath(_ path: String, from directory: URL) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = directory.standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        let rest = Array(target[common...])
        let components = ups + rest
        return components.isEmpty ? "." : components.joined(separator: "/")
    }

    private static func escaped(_ caption: String) -> String {
        caption.replacingOccurrences(of: "]", with: "\\]").replacingOccurrences(of: "[", with: "\\[")
    }

    private static func encoded(_ link: String) -> String {
        link.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "(", with: "%28")
            .replacingOccurrences(of: ")", with: "%29")
    }
}
