import Evaluation
import Foundation
import Platform
import PoseData

/// Samples a model for every sample of a dataset and compares the results with the references:
/// DTW-MJE (raw, shoulder-normalised, hands, to the nearest realisation of the text), MJE, and
/// streaming timing (median over samples); optionally the diversity of several seeds per text.
/// Shared by `hybridsign eval`, `hybridsign train --dev` and the notebook's `eval` and `train … eval:`.
public struct EvaluationRunner {
    public var model: HybridSignModel
    public var options: SamplingOptions
    /// Sign each sample as its reference's own signer (`eval --signer own`) instead of
    /// `options.signer`; a reference without a signer is signed freely.
    public var signerFromReference: Bool

    public init(model: HybridSignModel, options: SamplingOptions, signerFromReference: Bool = false) {
        self.model = model
        self.options = options
        self.signerFromReference = signerFromReference
    }

    /// Metrics over the dataset and the median streaming timing.
    public struct Result: Sendable {
        public var metrics: DatasetMetrics?
        public var timing: StreamTiming?
        public var samples: Int
        /// Samples left out because the model cannot read their text (`skippingUnknownText`):
        /// the sample's name or text, and why.
        public var skipped: [(sample: String, reason: String)]
        /// The diversity over several seeds per text (``EvaluationRunner/diversity(on:seeds:limit:shouldStop:progress:)``), when measured.
        public var diversity: DiversityMetrics?

        public init(metrics: DatasetMetrics?, timing: StreamTiming?, samples: Int, skipped: [(sample: String, reason: String)] = [],
                    diversity: DiversityMetrics? = nil) {
            self.metrics = metrics
            self.timing = timing
            self.samples = samples
            self.skipped = skipped
            self.diversity = diversity
        }

        /// `{"dtw_mje": ..., "dtw_mje_norm": ..., "dtw_mje_hands": ..., "dtw_mje_nearest": ..., "mje": ..., "ttff_s": ...,
        /// "fps": ..., "samples": N}`, with `"diversity": {"seeds": K, "texts": N, "distinct_nearest": ...,
        /// "pairwise_dtw_mje": ..., "nearest_dtw_mje": ...}` when measured.
        public var json: String {
            let j = Self.json
            var text = "{\"dtw_mje\": \(j(metrics?.dtwMJE)), \"dtw_mje_norm\": \(j(metrics?.dtwMJENormalized)), "
                + "\"dtw_mje_hands\": \(j(metrics?.dtwMJEHands)), \"dtw_mje_nearest\": \(j(metrics?.dtwMJENearest)), \"mje\": \(j(metrics?.mje)), "
                + "\"ttff_s\": \(j(timing?.timeToFirstFrame)), \"fps\": \(j(timing?.framesPerSecond)), \"samples\": \(samples)"
            if let d = diversity {
                text += ", \"diversity\": {\"seeds\": \(d.seeds), \"texts\": \(d.texts), \"distinct_nearest\": \(j(d.distinctNearest)), "
                    + "\"pairwise_dtw_mje\": \(j(d.pairwiseDTWMJE)), \"nearest_dtw_mje\": \(j(d.nearestDTWMJE))}"
            }
            return text + "}"
        }

        /// One line: DTW-MJE (normalised, hands, nearest realisation), MJE, first-frame latency,
        /// frames per second, samples; a second line with the diversity when measured.
        public var summary: String {
            var text = String(format: "DTW-MJE %.2f (normalised %@, hands %@, nearest realisation %@), MJE %.2f, first frame %.1f ms, %.0f frames/s, %d samples",
                              metrics?.dtwMJE ?? .nan, Self.json(metrics?.dtwMJENormalized), Self.json(metrics?.dtwMJEHands),
                              Self.json(metrics?.dtwMJENearest),
                              metrics?.mje ?? .nan, (timing?.timeToFirstFrame ?? .nan) * 1000, timing?.framesPerSecond ?? .nan, samples)
            if let d = diversity {
                text += String(format: "\ndiversity over %d seeds of %d texts: %.2f distinct nearest realisations per text, pairwise DTW-MJE %@, nearest DTW-MJE %.2f",
                               d.seeds, d.texts, d.distinctNearest, Self.json(d.pairwiseDTWMJE), d.nearestDTWMJE)
            }
            return text
        }

        /// `skipped 2 of 40 samples whose text the model cannot read …: Taxi, …`, or nil when none was.
        public var skippedNote: String? {
            guard !skipped.isEmpty else { return nil }
            let names = skipped.map(\.sample).joined(separator: ", ")
            return "skipped \(skipped.count) of \(samples + skipped.count) samples whose text the model cannot read "
                + "(characters or words it never saw in training): \(names)"
        }

        /// A number for JSON output (`null` when absent or not finite).
        static func json(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "null" }
            return String(format: "%.6g", value)
        }
    }

    /// Evaluates on `dataset` (at most `limit` samples). Sample k uses seed `options.seed + k`.
    /// `shouldStop` is polled before each sample and each frame; when it returns true the run
    /// throws ``CancellationError``.
    /// With `skippingUnknownText`, samples whose text has characters (or words) the model never saw
    /// are left out and listed in ``Result/skipped`` instead of failing the run; `samples` then
    /// counts the samples evaluated.
    public func run(on dataset: PoseDataset, limit: Int? = nil, skippingUnknownText: Bool = false,
                    shouldStop: () -> Bool = { false }, progress: (Int) -> Void = { _ in }) throws -> Result {
        guard dataset.layout.jointCount == model.config.layout.jointCount, dataset.layout.parts == model.config.layout.parts else {
            throw HybridSignError.invalidData("the data follows layout \(QuotedText.quoted(dataset.layout.name)); the model was built for \(QuotedText.quoted(model.config.layout.name))")
        }
        var references = Array(dataset.samples.prefix(limit ?? dataset.count))
        guard !references.isEmpty else { throw HybridSignError.invalidData("the evaluation data has no samples") }
        var skipped: [(sample: String, reason: String)] = []
        if skippingUnknownText && model.config.text != .sentence {
            references = references.filter { reference in
                do {
                    _ = try model.textIDs(reference.text ?? "")
                    return true
                } catch {
                    skipped.append((reference.name ?? reference.text ?? "?", "\(error)"))
                    return false
                }
            }
            guard !references.isEmpty else {
                throw HybridSignError.unsupportedText("the model cannot read the text of any evaluation sample: \(skipped[0].reason)")
            }
        }
        let sampler = Sampler(model: model)
        var generated: [PoseSequence] = []
        var timings: [StreamTiming] = []
        for (k, reference) in references.enumerated() {
            if shouldStop() { throw CancellationError() }
            var sampleOptions = options
            sampleOptions.seed = options.seed &+ UInt64(k)
            if signerFromReference { sampleOptions.signer = reference.signer }
            var times: [Double] = []
            do {
                generated.append(try sampler.sample(for: reference, options: sampleOptions, onFrame: { times.append($0.time) },
                                                    shouldStop: shouldStop))
            } catch {
                throw HybridSignError.invalidData("evaluation sample \(k)\(reference.name.map { " (\(QuotedText.quoted($0)))" } ?? ""): \(error)")
            }
            if shouldStop() { throw CancellationError() }
            if let timing = StreamTiming(frameTimes: times) { timings.append(timing) }
            progress(k + 1)
        }
        let metrics = try DatasetMetrics.compare(generated: generated, references: references,
                                                 realisations: Self.realisations(of: Set(references.compactMap(\.text)), in: dataset))
        return Result(metrics: metrics, timing: StreamTiming.median(of: timings), samples: references.count, skipped: skipped)
    }

    /// Every sample of `dataset` whose text is one of `texts`: the valid realisations the
    /// nearest-realisation figures search (the whole dataset, also past an evaluation's limit).
    static func realisations(of texts: Set<String>, in dataset: PoseDataset) -> [PoseSequence] {
        var found: [PoseSequence] = []
        for (index, summary) in dataset.samples.summaries.enumerated() where summary.text.map(texts.contains) ?? false {
            found.append(dataset.samples[index])
        }
        return found
    }
}
