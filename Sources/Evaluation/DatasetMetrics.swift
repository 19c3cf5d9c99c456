import PoseData

/// Metrics averaged over the pairs of a test set: each figure is the mean of the per-sample values
/// that exist (a sample whose reference shows no hands does not count towards the hands figure).
public struct DatasetMetrics: Sendable, Equatable {
    /// Mean DTW-MJE in data units.
    public var dtwMJE: Double
    /// Mean shoulder-normalised DTW-MJE, when any sample has it.
    public var dtwMJENormalized: Double?
    /// Mean hands-only DTW-MJE, when any sample has it.
    public var dtwMJEHands: Double?
    /// Mean MJE after resampling to the reference's length.
    public var mje: Double
    /// The number of samples that counted.
    public var samples: Int

    /// Averages per-sample metrics; nil when the list is empty.
    public init?(averaging metrics: [SequenceMetrics]) {
        guard !metrics.isEmpty else { return nil }
        func mean(_ values: [Double]) -> Double? {
            values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        dtwMJE = mean(metrics.map(\.dtwMJE))!
        dtwMJENormalized = mean(metrics.compactMap(\.dtwMJENormalized))
        dtwMJEHands = mean(metrics.compactMap(\.dtwMJEHands))
        mje = mean(metrics.map(\.mje))!
        samples = metrics.count
    }

    /// Compares each generated sequence with the reference at the same position.
    public static func compare(generated: [PoseSequence], references: [PoseSequence]) throws(EvaluationError) -> DatasetMetrics? {
        precondition(generated.count == references.count, "one generated sequence per reference")
        var metrics: [SequenceMetrics] = []
        for (g, r) in zip(generated, references) {
            if let m = try SequenceMetrics.compare(g, with: r) { metrics.append(m) }
        }
        return DatasetMetrics(averaging: metrics)
    }
}
