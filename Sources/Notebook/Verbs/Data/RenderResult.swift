import Foundation

/// What `render` made: a directory of PNG frames and, usually, a contact sheet.
///
/// `show r` lists the files; `r.dir`, `r.sheet` (none without a sheet) and `r.frames` (the frame
/// paths) are strings, so they join with text: `print "see " + r.sheet`.
final class RenderResult: NotebookObject {
    let typeName = "rendering"
    /// The output directory as the user gave it.
    let directory: String
    /// The frame files, in order.
    let frames: [String]
    /// The contact sheet, when one was written.
    let sheet: String?
    /// What was drawn: one label per panel.
    let labels: [String]
    /// Frame size in pixels.
    let width: Int, height: Int
    /// Wall-clock seconds the render took.
    let seconds: Double

    init(directory: String, frames: [String], sheet: String?, labels: [String], width: Int, height: Int, seconds: Double) {
        self.directory = directory
        self.frames = frames
        self.sheet = sheet
        self.labels = labels
        self.width = width
        self.height = height
        self.seconds = seconds
    }

    var summary: String {
        let what = labels.map { "'\($0)'" }.joined(separator: " vs ")
        return "rendered \(what): \(frames.count) frames (\(width)×\(height)) in \(directory)" + (sheet.map { ", sheet \($0)" } ?? "")
    }

    func show() -> String {
        var rows: [(String, String)] = [("drawn", labels.joined(separator: " vs ")),
                                        ("directory", directory),
                                        ("frames", "\(frames.count) × \(width)×\(height) px: \(Self.fileName(frames.first)) … \(Self.fileName(frames.last))")]
        rows.append(("sheet", sheet ?? "none (sheet: true writes one)"))
        rows.append(("time", "\(formatNumber(seconds, significantDigits: 3)) s"))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }

    var memberNames: [String] { ["dir", "sheet", "frames", "count", "labels"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "dir": return .string(directory)
        case "sheet": return sheet.map(Value.string) ?? Value.none
        case "frames": return .list(frames.map(Value.string))
        case "count": return .number(Double(frames.count))
        case "labels": return .list(labels.map(Value.string))
        default: return nil
        }
    }

    private static func fileName(_ path: String?) -> String {
        path.map { ($0 as NSString).lastPathComponent } ?? "—"
    }
}
