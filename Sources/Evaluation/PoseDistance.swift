import PoseData

/// Errors from comparing pose sequences.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The two sequences do not follow the same layout.
    case layoutMismatch(generated: String, reference: String)
    /// A sequence has no frames.
    case emptySequence(String)

    public var description: String {
        switch self {
        case .layoutMismatch(let generated, let reference):
            return "cannot compare a '\(generated)' sequence with a '\(reference)' reference: the layouts differ; convert one of them first"
        case .emptySequence(let which):
            return "the \(which) sequence has no frames"
        }
    }
}

/// Frame-to-frame pose distances: the mean L2 distance between corresponding joints, counted over
/// the joints present in the reference frame (confidence > 0) among a chosen set.
struct PoseDistance {
    let generated: PoseSequence
    let reference: PoseSequence
    /// The joints that count; all joints when the caller passes none.
    let joints: [Int]

    init(generated: PoseSequence, reference: PoseSequence, joints: [Int]?) throws(EvaluationError) {
        guard generated.layout.jointCount == reference.layout.jointCount,
              generated.layout.joints == reference.layout.joints else {
            throw .layoutMismatch(generated: generated.layout.name, reference: reference.layout.name)
        }
        guard generated.frameCount > 0 else { throw .emptySequence("generated") }
        guard reference.frameCount > 0 else { throw .emptySequence("reference") }
        self.generated = generated
        self.reference = reference
        self.joints = joints ?? Array(0..<reference.jointCount)
    }

    /// The mean distance between generated frame `g` and reference frame `r`, or nil when the
    /// reference frame has none of the chosen joints present.
    func distance(generatedFrame g: Int, referenceFrame r: Int) -> Double? {
        distance(generatedValues: generated.values, generatedFrame: g, referenceFrame: r)
    }

    /// The same distance with the generated side given as flat (T, J, 3) values (for resampled copies).
    func distance(generatedValues: [Float], generatedFrame g: Int, referenceFrame r: Int) -> Double? {
        let jointCount = reference.jointCount
        var sum = 0.0
        var present = 0
        generatedValues.withUnsafeBufferPointer { gen in
            reference.values.withUnsafeBufferPointer { ref in
                for joint in joints {
                    let ri = (r * jointCount + joint) * 3
                    guard ref[ri + 2] > 0 else { continue }
                    let gi = (g * jointCount + joint) * 3
                    let dx = Double(gen[gi] - ref[ri]), dy = Double(gen[gi + 1] - ref[ri + 1])
                    sum += (dx * dx + dy * dy).squareRoot()
                    present += 1
                }
            }
        }
        return present > 0 ? sum / Double(present) : nil
    }
}
