import Foundation
import Platform
import PoseData

/// What an animation render wrote.
public struct AnimationInfo: Sendable, Equatable {
    /// The file written.
    public var url: URL
    /// Frames in the file (fewer than the sequence's when a rate above 50 frames/s drops some).
    public var frames: Int
    /// The playback rate, frames per second of the sequence.
    public var fps: Double
    /// How long the animation plays, in seconds.
    public var seconds: Double
    /// Frame size in pixels.
    public var width: Int, height: Int
    /// The file's size in bytes.
    public var bytes: Int
}

/// Motion you can watch: a sequence, or several side by side (as ``Comparison`` draws them), as
/// an animated GIF that plays at the sequence's frame rate or at one you give.
public enum AnimatedRender {
    /// The fastest rate a GIF plays reliably: browsers slow frames shorter than 2/100 s down.
    public static let maximumGIFRate = 50.0

    /// Renders `sequences` (one: its frames; more: side by side with `labels`) to an animated GIF
    /// at `url`, written atomically; `fps` defaults to the first sequence's frame rate.
    @discardableResult
    public static func gif(_ sequences: [PoseSequence], labels: [String]? = nil, to url: URL,
                           options: RenderOptions = RenderOptions(), fps: Double? = nil, progress: RenderProgress? = nil,
                           isCancelled: RenderCancellation? = nil) throws(RenderError) -> AnimationInfo {
        let frames = try FrameDrawer(sequences, labels: labels, options: options)
        let rate = fps ?? sequences[0].fps
        guard rate.isFinite, rate > 0 else {
            throw RenderError.invalidArgument("an animation's frame rate must be a positive number, not \(rate)")
        }
        let schedule = GIFSchedule(frameCount: frames.count, fps: rate)
        let samples = try sampleFrames(frames)
        var encoder = try GIFEncoder(width: frames.width, height: frames.height, palette: GIFPalette(sampling: samples))
        var canvas = try Canvas(width: frames.width, height: frames.height, background: options.background)
        for (position, frame) in schedule.frames.enumerated() {
            if isCancelled?() == true { throw RenderError.cancelled }
            try frames.draw(frame, into: &canvas)
            try encoder.append(canvas, delay: schedule.delays[position])
            progress?(position + 1, schedule.frames.count)
        }
        let bytes = encoder.finish()
        do { try AtomicFile.write(bytes, to: url, creatingDirectories: true) } catch { throw RenderError(error) }
        return AnimationInfo(url: url, frames: schedule.frames.count, fps: rate, seconds: Double(frames.count) / rate,
                             width: frames.width, height: frames.height, bytes: bytes.count)
    }

    /// Up to five evenly spaced frames, from which the palette is made.
    private static func sampleFrames(_ frames: FrameDrawer) throws(RenderError) -> [Canvas] {
        let picks = Set((0..<5).map { $0 * (frames.count - 1) / 4 }).sorted()
        var samples: [Canvas] = []
        for frame in picks {
            var canvas = try Canvas(width: frames.width, height: frames.height, background: frames.options.background)
            try frames.draw(frame, into: &canvas)
            samples.append(canvas)
        }
        return samples
    }
}

/// Which frames a GIF shows and for how long, in the hundredths of a second GIF counts in.
///
/// Frame i starts at round(i · 100 / fps); delays are the differences, so rounding never
/// accumulates (25 fps: 4/100 s each; 30 fps: 3, 4, 3, 3, 4, 3 …). Above 50 frames/s a frame
/// that would last less than 2/100 s is left out, so the animation keeps its real duration.
struct GIFSchedule {
    /// The frames shown, in order.
    var frames: [Int] = []
    /// How long each is shown, in hundredths of a second.
    var delays: [Int] = []

    init(frameCount: Int, fps: Double) {
        func start(_ frame: Int) -> Int { Int((Double(frame) * 100 / fps).rounded()) }
        for frame in 0..<frameCount where frames.isEmpty || start(frame) - start(frames[frames.count - 1]) >= 2 {
            frames.append(frame)
        }
        for (position, frame) in frames.enumerated() {
            let end = position + 1 < frames.count ? start(frames[position + 1]) : start(frameCount)
            delays.append(max(2, end - start(frame)))
        }
    }
}

/// Draws frame i of one sequence (as ``PNGRender/frames(of:to:options:sheet:fast:progress:isCancelled:)``
/// does) or of several side by side (as ``Comparison`` does).
struct FrameDrawer {
    let options: RenderOptions
    let count: Int, width: Int, height: Int
    private let single: (renderer: SkeletonRenderer, camera: Camera, sequence: PoseSequence)?
    private let comparison: (comparison: Comparison, cameras: [Camera])?

    init(_ sequences: [PoseSequence], labels: [String]?, options: RenderOptions) throws(RenderError) {
        self.options = options
        if sequences.count == 1, let sequence = sequences.first {
            guard sequence.frameCount > 0 else {
                throw RenderError.invalidArgument("the sequence\(sequence.name.map { " '\($0)'" } ?? "") has no frames to render")
            }
            var panel = options
            if let labels, let label = labels.first { panel.captionText = label }
            let renderer = SkeletonRenderer(options: panel)
            single = (renderer, renderer.camera(for: [sequence]), sequence)
            comparison = nil
            (count, width, height) = (sequence.frameCount, options.width, options.height)
        } else {
            let value = try Comparison(sequences, labels: labels, options: options)
            guard options.width * sequences.count <= Canvas.maximumSide else {
                throw RenderError.invalidArgument(
                    "\(sequences.count) panels of \(options.width) px are wider than \(Canvas.maximumSide) px; use a smaller size")
            }
            comparison = (value, value.cameras())
            single = nil
            (count, width, height) = (value.frameCount, options.width * sequences.count, options.height)
        }
    }

    func draw(_ frame: Int, into canvas: inout Canvas) throws(RenderError) {
        if let single {
            canvas.clear(to: options.background)
            try single.renderer.draw(frame: frame, of: single.sequence, camera: single.camera, into: &canvas)
        } else if let comparison {
            canvas = try comparison.comparison.frame(frame, cameras: comparison.cameras)
        }
    }
}
