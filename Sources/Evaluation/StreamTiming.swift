/// Latency and throughput of a streamed generation, from the times its frames became available.
///
/// Time to first frame is the delay from the request to the first finished frame; frames per
/// second counts every frame over the whole generation time, first frame included, so the figure
/// is what a viewer of the stream experiences.
public struct StreamTiming: Sendable, Equatable {
    /// Seconds from the start of generation to the first frame.
    public var timeToFirstFrame: Double
    /// Frames per second over the whole generation.
    public var framesPerSecond: Double
    /// The number of frames.
    public var frames: Int

    /// Timing from frame-ready times, in seconds since the request; nil when no frame was made.
    public init?(frameTimes: [Double]) {
        guard let first = frameTimes.first, let last = frameTimes.last, last > 0 else { return nil }
        timeToFirstFrame = first
        framesPerSecond = Double(frameTimes.count) / last
        frames = frameTimes.count
    }

    /// The median of several runs' figures, for benchmarks on a noisy machine.
    public static func median(of runs: [StreamTiming]) -> StreamTiming? {
        guard !runs.isEmpty else { return nil }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            let mid = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        }
        var result = runs[0]
        result.timeToFirstFrame = median(runs.map(\.timeToFirstFrame))
        result.framesPerSecond = median(runs.map(\.framesPerSecond))
        return result
    }
}
