import PoseData

/// How varied a model's samples of one text are, over several seeds, and whether the variety is
/// valid: for each text, the samples' nearest realisations among that text's references.
///
/// - `distinctNearest`: per text, the number of different references that are some sample's
///   nearest (1 ... min(seeds, realisations)); averaged over texts. A model that always makes the
///   same signing scores 1; one that covers the valid signings scores up to their number.
/// - `pairwiseDTWMJE`: per text, the mean DTW-MJE over the unordered pairs of its samples (the
///   later sample of a pair as the reference); averaged over texts. 0 when the samples are equal.
/// - `nearestDTWMJE`: the mean over every sample of its DTW-MJE to its nearest realisation, so
///   variety bought with bad frames shows.
public struct DiversityMetrics: Sendable, Equatable {
    public var distinctNearest: Double
    public var pairwiseDTWMJE: Double?
    public var nearestDTWMJE: Double
    /// Texts measured and samples per text.
    public var texts: Int
    public var seeds: Int

    /// Measures `samples[k]` (the samples of text k, one per seed) against `realisations[k]` (the
    /// references of text k). Texts whose references show no joints do not count; nil when none counts.
    public static func measure(samples: [[PoseSequence]], realisations: [[PoseSequence]]) throws(EvaluationError) -> DiversityMetrics? {
        precondition(samples.count == realisations.count, "one list of realisations per text")
        var distinct: [Double] = [], pairwise: [Double] = [], nearest: [Double] = []
        for (generated, references) in zip(samples, realisations) {
            var chosen = Set<Int>()
            for sample in generated {
                guard let best = try NearestRealisation.nearest(sample, among: references) else { continue }
                chosen.insert(best.index)
                nearest.append(best.dtwMJE)
            }
            guard !chosen.isEmpty else { continue }
            distinct.append(Double(chosen.count))
            var pairs: [Double] = []
            for i in generated.indices {
                for j in generated.indices where j > i {
                    if let d = try NearestRealisation.dtwMJE(generated[i], generated[j]) { pairs.append(d) }
                }
            }
            if !pairs.isEmpty { pairwise.append(pairs.reduce(0, +) / Double(pairs.count)) }
        }
        guard !distinct.isEmpty else { return nil }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        return DiversityMetrics(distinctNearest: mean(distinct), pairwiseDTWMJE: pairwise.isEmpty ? nil : mean(pairwise),
                                nearestDTWMJE: mean(nearest), texts: distinct.count, seeds: samples.map(\.count).max() ?? 0)
    }
}
