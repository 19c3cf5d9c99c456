import PoseData

/// DTW-MJE to the closest of several valid realisations of one text.
///
/// When a text has many valid signings (different signers or sign languages), DTW-MJE against the
/// one reference a sample happens to be paired with punishes a model for choosing another valid
/// signing; the distance to the nearest realisation does not.
public enum NearestRealisation {
    /// The realisation in `candidates` with the smallest DTW-MJE to `generated` (its index and the
    /// distance), or nil when no candidate has a joint present in any frame. Ties keep the first.
    public static func nearest(_ generated: PoseSequence, among candidates: [PoseSequence]) throws(EvaluationError) -> (index: Int, dtwMJE: Double)? {
        var best: (index: Int, dtwMJE: Double)?
        for (index, candidate) in candidates.enumerated() {
            guard let d = try dtwMJE(generated, candidate) else { continue }
            if best == nil || d < best!.dtwMJE { best = (index, d) }
        }
        return best
    }

    /// DTW-MJE of `generated` against `reference` (all joints), or nil when the reference shows none.
    public static func dtwMJE(_ generated: PoseSequence, _ reference: PoseSequence) throws(EvaluationError) -> Double? {
        SequenceMetrics.dtwMJE(try PoseDistance(generated: generated, reference: reference, joints: nil))
    }

    /// The realisations of each text: for every sample of `pool` with a text, its index in `pool`,
    /// grouped by text.
    public static func realisationsByText(_ pool: [PoseSequence]) -> [String: [Int]] {
        var groups: [String: [Int]] = [:]
        for (index, sample) in pool.enumerated() {
            if let text = sample.text { groups[text, default: []].append(index) }
        }
        return groups
    }
}
