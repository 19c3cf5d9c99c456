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
    /// Mean DTW-MJE to the nearest realisation of the sample's text (``NearestRealisation``): the
    /// closest of the references with the same text, the paired reference for a sample without
    /// text. Nil when not measured (``init(averaging:)``).
    public var dtwMJENearest: Double?
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

    /// Compares each generated sequence with the reference at the same position, and with the
    /// nearest realisation of its text among `realisations` (default: the references themselves).
    public static func compare(generated: [PoseSequence], references: [PoseSequence],
                               realisations: [PoseSequence]? = nil) throws(EvaluationError) -> DatasetMetrics? {
        precondition(generated.count == references.count, "one generated sequence per reference")
        let pool = realisations ?? references
        let byText = NearestRealisation.realisationsByText(pool)
        var metrics: [SequenceMetrics] = []
        var nearestDistances: [Double] = []
        for (g, r) in zip(generated, references) {
            guard let m = try SequenceMetrics.compare(g, with: r) else { continue }
            metrics.append(m)
            let candidates = r.text.flatMap { byText[$0] }.map { $0.map { pool[$0] } } ?? []
            let best = try NearestRealisation.nearest(g, among: candidates)?.dtwMJE
            nearestDistances.append(min(best ?? m.dtwMJE, m.dtwMJE))
        }
        var result = DatasetMetrics(averaging: metrics)
        if !nearestDistances.isEmpty { result?.dtwMJENearest = nearestDistances.reduce(0, +) / Double(nearestDistances.count) }
        return result
    }
}
