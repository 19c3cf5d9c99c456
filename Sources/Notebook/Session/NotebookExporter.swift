import Foundation

/// Writes a session as a notebook a person can share: Markdown (`:export FILE.md`) with each
/// cell's images copied into a folder beside it, or Jupyter (`:export FILE.ipynb`) with the images
/// embedded. Either way each cell carries the images it made, even when a later cell overwrote the
/// files, and the notebook and its images move together.
public enum NotebookExporter {
    /// The formats `:export` writes, chosen by the file's extension.
    public enum Format: Sendable {
        case markdown, jupyter

        /// The format for `path`'s extension, or nil for another one.
        public init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "md", "markdown": self = .markdown
            case "ipynb": self = .jupyter
            default: return nil
            }
        }
    }

    /// What an export wrote.
    public struct Summary: Sendable, Equatable {
        /// Images embedded or copied.
        public var images: Int
        /// The folder the Markdown export copied its images to, when it copied any.
        public var imageDirectory: String?
    }

    /// Writes `cells` to `path` in the format its extension names; each file is written atomically.
    public static func export(_ cells: [Cell], to path: String, date: Date = Date()) throws(NotebookError) -> Summary {
        guard let format = Format(path: path) else {
            throw NotebookError("cannot tell what to export from the name '\(path)'",
                                hint: "end it in .md for Markdown or .ipynb for a Jupyter notebook: :export session.ipynb")
        }
        let images = cells.reduce(0) { $0 + $1.figures.count }
        switch format {
        case .jupyter:
            try NotebookFile.write(NotebookDocument.make(cells, date: date).serialized(indent: 1) + "\n", to: path)
            return Summary(images: images, imageDirectory: nil)
        case .markdown:
            let export = markdown(cells, path: path, date: date)
            for image in export.images { try NotebookFile.write(image.data, to: image.path) }
            try NotebookFile.write(export.text, to: path)
            return Summary(images: images, imageDirectory: export.images.isEmpty ? nil : imageDirectory(for: path))
        }
    }

    /// The folder beside a Markdown notebook that holds its images: `notes/session.md` →
    /// `notes/session_files`.
    public static func imageDirectory(for path: String) -> String {
        ((path as NSString).deletingPathExtension) + "_files"
    }

    /// The Markdown text for `cells`, to be written at `path`, and the images to write beside it
    /// (`session_files/cell3-sheet.png`). Links to other files (frame directories, exports) are
    /// relative to the notebook's directory.
    public static func markdown(_ cells: [Cell], path: String, title: String = "HybridSign notebook",
                                date: Date = Date()) -> (text: String, images: [(path: String, data: Data)]) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        let imageFolder = imageDirectory(for: path)
        var images: [(path: String, data: Data)] = []
        var lines = ["# \(title)", "",
                     "Exported \(NotebookDocument.exportDate(date)) · \(cells.count) \(cells.count == 1 ? "cell" : "cells")", ""]
        for cell in cells {
            lines.append("## [\(cell.number)]\(cell.succeeded ? "" : cell.interrupted ? " (interrupted)" : " (error)")")
            lines.append("")
            lines.append(contentsOf: fenced(cell.source.trimmingCharacters(in: .newlines), language: "hsl"))
            let output = cell.output.trimmingCharacters(in: .newlines)
            if !output.isEmpty {
                lines.append("")
                lines.append(contentsOf: fenced(output, language: "text"))
            }
            var usedNames: Set<String> = []
            let figures = cell.figures
            for figure in figures {
                let name = uniqueName("cell\(cell.number)-" + figure.fileName, taken: &usedNames)
                let imagePath = (imageFolder as NSString).appendingPathComponent(name)
                images.append((imagePath, figure.data))
                lines.append("")
                lines.append("![\(escaped(figure.caption ?? figure.fileName))](\(encoded(relativePath(imagePath, from: directory))))")
            }
            // Images too large to keep (or gone before the cell ended) are linked where they were written.
            let kept = Set(figures.map(\.path))
            for artifact in cell.artifacts where !kept.contains(artifact.path) {
                let link = encoded(relativePath(artifact.path, from: directory))
                let caption = escaped(artifact.caption ?? (artifact.path as NSString).lastPathComponent)
                lines.append("")
                lines.append(artifact.kind == .image ? "![\(caption)](\(link))" : "[\(caption)](\(link))")
            }
            lines.append("")
        }
        return (lines.joined(separator: "\n"), images)
    }

    /// `name`, or `name` with `-2`, `-3` … before its extension when a figure of the cell has it.
    private static func uniqueName(_ name: String, taken: inout Set<String>) -> String {
        var candidate = name
        var counter = 2
        while taken.contains(candidate) {
            let stem = (name as NSString).deletingPathExtension
            let suffix = (name as NSString).pathExtension
            candidate = "\(stem)-\(counter)" + (suffix.isEmpty ? "" : ".\(suffix)")
            counter += 1
        }
        taken.insert(candidate)
        return candidate
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
