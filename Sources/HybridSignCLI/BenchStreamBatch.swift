import Foundation
import HybridSign
import Tensors

/// `bench stream --batch B`: the same B-sequence batch and one single stream, alternated run by
/// run in the same process, so their ratio is measured under the same load.
struct BatchStreamMeasurement {
    /// One timed batch: when the sequences' first frame and last frame were ready (seconds from
    /// the call), and the frames made in all.
    struct Run {
        var first: Double
        var last: Double
        var framesPerSequence: Int
        var sequences: Int

        /// All frames made, per second.
        var fpsTotal: Double { Double(framesPerSequence * sequences) / max(last, 1e-9) }
        /// A sequence's time between frames after the first.
        var perFrame: Double { framesPerSequence > 1 ? (last - first) / Double(framesPerSequence - 1) : last }
    }

    let batch: [Run]
    let single: [Run]

    /// Times `runs` alternated pairs (the single stream first) after one warm-up of each.
    init(sampler: Sampler, batchSize: Int, frames: Int, steps: Int, runs: Int, text: @escaping (Int, Int) -> String) throws {
        let options = SamplingOptions(steps: steps, seed: 1, frames: .fixed(frames))
        func timed(_ count: Int, run: Int) throws -> Run {
            var first = Double.infinity, last = 0.0
            let items = (0..<count).map { BatchItem(text: text(run, $0), seed: UInt64($0 + 1)) }
            _ = try sampler.sample(items, options: options, batchSize: count, onFrame: { _, frame in
                if frame.index == 0 { first = min(first, frame.time) }
                last = max(last, frame.time)
            })
            return Run(first: first, last: last, framesPerSequence: frames, sequences: count)
        }
        _ = try timed(1, run: -1)
        _ = try timed(batchSize, run: -1)
        var batch: [Run] = [], single: [Run] = []
        for run in 0..<runs {
            single.append(try timed(1, run: run))
            batch.append(try timed(batchSize, run: run))
        }
        self.batch = batch
        self.single = single
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// `{"batch": B, "fps_total": …, "ttff_s": …, "frame_s": …, "single_fps": …, "single_ttff_s": …,
    /// "single_frame_s": …, "ratio": …, "params": …, "kernels": …}`: medians over the runs; the ratio is the
    /// median of each run's batch/single quotient.
    func json(params: Int) -> String {
        let b = batch.first?.sequences ?? 0
        let ratio = Self.median(zip(batch, single).map { $0.fpsTotal / $1.fpsTotal })
        let fields: [(String, String)] = [
            ("batch", String(b)),
            ("fps_total", String(format: "%.1f", Self.median(batch.map(\.fpsTotal)))),
            ("ttff_s", String(format: "%.4f", Self.median(batch.map(\.first)))),
            ("frame_s", String(format: "%.5f", Self.median(batch.map(\.perFrame)))),
            ("single_fps", String(format: "%.1f", Self.median(single.map(\.fpsTotal)))),
            ("single_ttff_s", String(format: "%.4f", Self.median(single.map(\.first)))),
            ("single_frame_s", String(format: "%.5f", Self.median(single.map(\.perFrame)))),
            ("ratio", String(format: "%.2f", ratio)),
            ("params", String(params)),
            ("kernels", "\"\(KernelPath.current.rawValue)\""),
        ]
        return "{" + fields.map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
    }

    /// The same for people.
    func summary() -> String {
        let b = batch.first?.sequences ?? 0
        let ratio = Self.median(zip(batch, single).map { $0.fpsTotal / $1.fpsTotal })
        return String(format: "batch %d: %.1f frames/s in all (first frame %.1f ms, then %.1f ms a frame per sequence); one stream: %.1f frames/s (first frame %.1f ms); ratio %.2f (%@ kernels)",
                      b, Self.median(batch.map(\.fpsTotal)), Self.median(batch.map(\.first)) * 1000, Self.median(batch.map(\.perFrame)) * 1000,
                      Self.median(single.map(\.fpsTotal)), Self.median(single.map(\.first)) * 1000, ratio, KernelPath.current.rawValue)
    }
}
