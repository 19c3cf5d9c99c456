import Foundation
import PoseData

/// The files a render wrote.
public struct RenderedFiles: Sendable, Equatable {
    /// `DIR/frame_0000.png ...`, in frame order.
    public var frames: [URL]
    /// `DIR/sheet.png`, when a sheet was written.
    public var sheet: URL?
}

/// One-call entry points for the REPL and the CLI: a sequence (or a comparison) to a directory of
/// PNG frames plus a contact sheet.
public enum PNGRender {
    /// Renders every frame of `sequence` to `DIR/frame_0000.png ...` (one camera for the whole
    /// sequence) and, when `sheet` is true, a contact sheet `DIR/sheet.png`.
    ///
    /// `progress` gets (units done, total) where total is the frame count (+ 1 for the sheet);
    /// `isCancelled` is checked before every frame. Stale `frame_*.png` files of an earlier, longer
    /// render in `directory` are removed.
    @discardableResult
    public static func frames(of sequence: PoseSequence, to directory: URL, options: RenderOptions = RenderOptions(),
                              sheet: Bool = true, fast: Bool = false, progress: RenderProgress? = nil,
                              isCancelled: RenderCancellation? = nil) throws(RenderError) -> RenderedFiles {
        guard sequence.frameCount > 0 else {
            throw RenderError.invalidArgument("the sequence\(sequence.name.map { " '\($0)'" } ?? "") has no frames to render")
        }
        let renderer = SkeletonRenderer(options: options)
        let camera = renderer.camera(for: [sequence])
        let writer = try FrameSequenceWriter(directory: directory, frameCount: sequence.frameCount, fast: fast)
        let total = sequence.frameCount + (sheet ? 1 : 0)
        var urls: [URL] = []
        var canvas = try Canvas(width: options.width, height: options.height, background: options.background)
        for frame in 0..<sequence.frameCount {
            if isCancelled?() == true { throw RenderError.cancelled }
            canvas.clear(to: options.background)
            try renderer.draw(frame: frame, of: sequence, camera: camera, into: &canvas)
            urls.append(try writer.write(canvas, frame: frame))
            progress?(frame + 1, total)
        }
        try writer.finish(frameCount: sequence.frameCount)
        var sheetURL: URL?
        if sheet {
            if isCancelled?() == true { throw RenderError.cancelled }
            let url = directory.appendingPathComponent("sheet.png")
            try ContactSheet(options: options).write(sequence, to: url)
            sheetURL = url
            progress?(total, total)
        }
        return RenderedFiles(frames: urls, sheet: sheetURL)
    }

    /// Renders `sequences` side by side (see ``Comparison``) to `DIR/frame_0000.png ...` and, when
    /// `sheet` is true, a comparison sheet `DIR/sheet.png`.
    @discardableResult
    public static func comparison(_ sequences: [PoseSequence], labels: [String]? = nil, to directory: URL,
                                  options: RenderOptions = RenderOptions(), sharedCamera: Bool = true, sheet: Bool = true,
                                  fast: Bool = false, progress: RenderProgress? = nil,
                                  isCancelled: RenderCancellation? = nil) throws(RenderError) -> RenderedFiles {
        let comparison = try Comparison(sequences, labels: labels, options: options, sharedCamera: sharedCamera)
        let total = comparison.frameCount + (sheet ? 1 : 0)
        let frames = try comparison.writeFrames(to: directory, fast: fast, progress: { done, _ in progress?(done, total) },
                                                isCancelled: isCancelled)
        var sheetURL: URL?
        if sheet {
            if isCancelled?() == true { throw RenderError.cancelled }
            let url = directory.appendingPathComponent("sheet.png")
            try PNG.write(comparison.sheet(isCancelled: isCancelled), to: url)
            sheetURL = url
            progress?(total, total)
        }
        return RenderedFiles(frames: frames, sheet: sheetURL)
    }
}
