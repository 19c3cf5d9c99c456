import Foundation
import PoseData
import Render

/// What `render` writes, chosen by the path: a directory of PNG frames, an animated GIF, or an
/// `.mp4` video (through ffmpeg).
enum RenderTarget {
    case frames, gif, video

    /// The target for `path`; a name that looks like another kind of file is an error, not a
    /// directory of that name.
    init(path: String, arguments: Arguments) throws(NotebookError) {
        let fileExtension = (path as NSString).pathExtension.lowercased()
        switch fileExtension {
        case "gif": self = .gif
        case "mp4": self = .video
        case "png", "jpg", "jpeg", "webp", "apng", "mov", "avi", "webm", "mkv":
            throw arguments.error("render writes PNG frames into a directory, an animated .gif or an .mp4 video; '\(path)' names a .\(fileExtension) file",
                                  at: "path", hint: "to \"out/x\" writes out/x/frame_0000.png … and out/x/sheet.png; to \"out/x.gif\" an animation")
        default: self = .frames
        }
    }
}

/// What `render … to FILE.gif` (or `.mp4`) made: an animation that plays at the sample's frame
/// rate (or the rate given); a GIF shows inline in Jupyter.
final class AnimationResult: NotebookObject {
    let typeName = "animation"
    /// The file as the user gave it.
    let path: String
    let labels: [String]
    let info: AnimationInfo

    init(path: String, labels: [String], info: AnimationInfo) {
        self.path = path
        self.labels = labels
        self.info = info
    }

    /// Renders `sequences` to the GIF or video at `path` (`fps:` from `arguments`), and attaches
    /// it to the cell.
    static func render(_ sequences: [PoseSequence], labels: [String], to path: String, video: Bool, options: RenderOptions,
                       arguments: Arguments, context: VerbContext) throws -> Value {
        let fps = arguments.has("fps") ? try arguments.positiveNumber("fps") : nil
        let progress = context.progress("render", total: sequences.map(\.frameCount).max())
        defer { context.output.clearStatus() }
        let report: RenderProgress = { done, _ in progress.update(done) }
        let isCancelled: RenderCancellation = { context.interrupt.isSet }
        let info = video
            ? try VideoRender.mp4(sequences, labels: labels, to: outputURL(path), options: options, fps: fps, progress: report,
                                  isCancelled: isCancelled)
            : try AnimatedRender.gif(sequences, labels: labels, to: outputURL(path), options: options, fps: fps, progress: report,
                                     isCancelled: isCancelled)
        let what = labels.map { "'\($0)'" }.joined(separator: " vs ")
        context.attach(FileResult(path: path, kind: video ? .data : .image, caption: "\(video ? "video" : "animation") of \(what)"))
        return .object(AnimationResult(path: path, labels: labels, info: info))
    }

    var summary: String {
        "animated \(labels.map { "'\($0)'" }.joined(separator: " vs ")): \(info.frames) frames at \(formatNumber(info.fps, significantDigits: 4)) fps "
            + "(\(formatNumber(info.seconds, significantDigits: 3)) s), \(info.width)×\(info.height), \(Self.size(info.bytes)) in \(path)"
    }

    var memberNames: [String] { ["path", "frames", "fps", "seconds", "bytes", "labels"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "path": return .string(path)
        case "frames": return .number(Double(info.frames))
        case "fps": return .number(info.fps)
        case "seconds": return .number(info.seconds)
        case "bytes": return .number(Double(info.bytes))
        case "labels": return .list(labels.map(Value.string))
        default: return nil
        }
    }

    /// `812 KB`, `2.4 MB`.
    private static func size(_ bytes: Int) -> String {
        bytes < 1_000_000 ? "\(max(1, bytes / 1000)) KB" : "\(formatNumber(Double(bytes) / 1e6, significantDigits: 2)) MB"
    }
}
