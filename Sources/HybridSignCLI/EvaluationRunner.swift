import Evaluation
import Foundation
import HybridSign
import PoseData

/// Samples a model for every sample of a dataset and compares the results with the references:
/// DTW-MJE (raw, shoulder-normalised, hands), MJE, and streaming timing (median over samples).
struct EvaluationRunner {
    var model: HybridSignModel
    var options: SamplingOptions

    struct Result {
        var metrics: DatasetMetrics?
        var timing: StreamTiming?
        var samples: Int

        /// `{"dtw_mje": ..., "dtw_mje_norm": ..., "dtw_mje_hands": ..., "mje": ..., "ttff_s": ..., "fps": ..., "samples": N}`.
        var json: String {
            let j = CommandSupport.json
            return "{\"dtw_mje\": \(j(metrics?.dtwMJE)), \"dtw_mje_norm\": \(j(metrics?.dtwMJENormalized)), "
                + "\"dtw_mje_hands\": \(j(metrics?.dtwMJEHands)), \"mje\": \(j(metrics?.mje)), "
                + "\"ttff_s\": \(j(timing?.timeToFirstFrame)), \"fps\": \(j(timing?.framesPerSecond)), \"samples\": \(samples)}"
        }

        var summary: String {
            String(format: "DTW-MJE %.2f (normalised %@, hands %@), MJE %.2f, first frame %.1f ms, %.0f frames/s, %d samples",
                   metrics?.dtwMJE ?? .nan, CommandSupport.json(metrics?.dtwMJENormalized), CommandSupport.json(metrics?.dtwMJEHands),
                   metrics?.mje ?? .nan, (timing?.timeToFirstFrame ?? .nan) * 1000, timing?.framesPerSecond ?? .nan, samples)
        }
    }

    /// Evaluates on `dataset` (at most `limit` samples). Sample k uses seed `options.seed + k`.
    func run(on dataset: PoseDataset, limit: Int? = nil) throws -> Result {
        guard dataset.layout.jointCount == model.config.layout.jointCount, dataset.layout.parts == model.config.layout.parts else {
            throw HybridSignError.invalidData("the data follows layout '\(dataset.layout.name)'; the model was built for '\(model.config.layout.name)'")
        }
        let references = Array(dataset.samples.prefix(limit ?? dataset.count))
        guard !references.isEmpty else { throw HybridSignError.invalidData("the evaluation data has no samples") }
        let sampler = Sampler(model: model)
        var generated: [PoseSequence] = []
        var timings: [StreamTiming] = []
        for (k, reference) in references.enumerated() {
            var sampleOptions = options
            sampleOptions.seed = options.seed &+ UInt64(k)
            var times: [Double] = []
            do {
                generated.append(try sampler.sample(for: reference, options: sampleOptions) { times.append($0.time) })
            } catch {
                throw HybridSignError.invalidData("evaluation sample \(k)\(reference.name.map { " ('\($0)')" } ?? ""): \(error)")
            }
            if let timing = StreamTiming(frameTimes: times) { timings.append(timing) }
        }
        let metrics = try DatasetMetrics.compare(generated: generated, references: references)
        return Result(metrics: metrics, timing: StreamTiming.median(of: timings), samples: references.count)
    }
}
