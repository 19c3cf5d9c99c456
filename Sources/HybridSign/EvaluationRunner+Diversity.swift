import Evaluation
import PoseData

extension EvaluationRunner {
    /// Samples each distinct text of the first `limit` samples of `dataset` with `seeds` seeds
    /// (`options.seed`, `options.seed + 1`, …; `options.signer`, or none) and measures how the
    /// samples spread over the text's realisations in the whole dataset (``DiversityMetrics``).
    /// `shouldStop` is polled before each sample; `progress` gets the samples made so far.
    public func diversity(on dataset: PoseDataset, seeds: Int, limit: Int? = nil, shouldStop: () -> Bool = { false },
                          progress: (Int) -> Void = { _ in }) throws -> DiversityMetrics? {
        guard (1...1000).contains(seeds) else {
            throw HybridSignError.invalidConfig("the diversity needs 1...1000 seeds per text, not \(seeds)")
        }
        guard !signerFromReference else {
            throw HybridSignError.invalidConfig("the diversity samples one text several times with one signer or none; give a signer code or leave it out, not the references' own signers")
        }
        var texts: [String] = []
        for summary in dataset.samples.summaries.prefix(limit ?? dataset.count) {
            if let text = summary.text, !texts.contains(text) { texts.append(text) }
        }
        guard !texts.isEmpty else { throw HybridSignError.invalidData("the evaluation data has no samples with a text") }
        let pool = Self.realisations(of: Set(texts), in: dataset)
        let byText = NearestRealisation.realisationsByText(pool)
        let sampler = Sampler(model: model)
        var samples: [[PoseSequence]] = [], realisations: [[PoseSequence]] = []
        var made = 0
        for text in texts {
            var generated: [PoseSequence] = []
            let reference = pool[byText[text]![0]]
            for s in 0..<seeds {
                if shouldStop() { throw CancellationError() }
                var sampleOptions = options
                sampleOptions.seed = options.seed &+ UInt64(s)
                do {
                    generated.append(try sampler.sample(for: reference, options: sampleOptions, shouldStop: shouldStop))
                } catch {
                    throw HybridSignError.invalidData("diversity of \"\(text)\", seed \(sampleOptions.seed): \(error)")
                }
                made += 1
                progress(made)
            }
            samples.append(generated)
            realisations.append(byText[text]!.map { pool[$0] })
        }
        return try DiversityMetrics.measure(samples: samples, realisations: realisations)
    }
}
