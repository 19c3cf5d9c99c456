import PoseData

/// How far a generated pose sequence is from its reference.
///
/// - DTW-MJE: exact dynamic time warping between the two sequences with a frame cost of the mean
///   L2 joint distance over the joints present in the reference frame; the value is the mean frame
///   cost along the optimal path (reference frames with no joint present are not counted).
/// - Normalised DTW-MJE: DTW-MJE divided by the reference's mean shoulder width, so that figures are
///   comparable across datasets and camera set-ups.
/// - Hands DTW-MJE: the same, counting only the joints of parts whose name contains `hand`.
/// - MJE: the generated sequence resampled linearly to the reference's frame count, then the mean
///   frame distance frame by frame.
public struct SequenceMetrics: Sendable, Equatable {
    /// DTW-MJE in data units.
    public var dtwMJE: Double
    /// DTW-MJE divided by the reference's mean shoulder width; nil when the layout has no shoulders
    /// or the reference never shows both.
    public var dtwMJENormalized: Double?
    /// DTW-MJE over hand joints only; nil when the layout has no hands or the reference never shows one.
    public var dtwMJEHands: Double?
    /// Mean joint error after resampling the generated sequence to the reference's length.
    public var mje: Double

    /// Compares `generated` with `reference`; both must follow the same layout.
    /// Returns nil when the reference has no joint present in any frame.
    public static func compare(_ generated: PoseSequence, with reference: PoseSequence) throws(EvaluationError) -> SequenceMetrics? {
        let all = try PoseDistance(generated: generated, reference: reference, joints: nil)
        guard let dtw = dtwMJE(all) else { return nil }
        let handJoints = reference.layout.parts.filter { $0.name.contains("hand") }.flatMap(\.joints)
        let hands = handJoints.isEmpty
            ? nil : dtwMJE(try PoseDistance(generated: generated, reference: reference, joints: handJoints))
        let width = shoulderWidth(of: reference)
        return SequenceMetrics(
            dtwMJE: dtw,
            dtwMJENormalized: width.map { dtw / $0 },
            dtwMJEHands: hands,
            mje: resampledMJE(all) ?? dtw)
    }

    /// DTW-MJE for one distance definition, or nil when no reference frame counts.
    static func dtwMJE(_ distance: PoseDistance) -> Double? {
        let rows = distance.generated.frameCount, columns = distance.reference.frameCount
        var costs = [Double](repeating: 0, count: rows * columns)
        var counts = [Bool](repeating: false, count: columns)
        for r in 0..<columns {
            for g in 0..<rows {
                if let d = distance.distance(generatedFrame: g, referenceFrame: r) {
                    costs[g * columns + r] = d
                    counts[r] = true
                }
            }
        }
        guard counts.contains(true),
              let path = DynamicTimeWarping.align(costs: costs, rows: rows, columns: columns) else { return nil }
        let counted = path.steps.filter { counts[$0.column] }
        return counted.reduce(0.0) { $0 + costs[$1.row * columns + $1.column] } / Double(counted.count)
    }

    /// Mean frame distance after resampling the generated sequence to the reference's length.
    static func resampledMJE(_ distance: PoseDistance) -> Double? {
        let target = distance.reference.frameCount
        let values = resample(distance.generated, to: target)
        var sum = 0.0
        var counted = 0
        for frame in 0..<target {
            if let d = distance.distance(generatedValues: values, generatedFrame: frame, referenceFrame: frame) {
                sum += d
                counted += 1
            }
        }
        return counted > 0 ? sum / Double(counted) : nil
    }

    /// The sequence's x and y linearly resampled to `frames` frames spanning the same time (first
    /// and last frames kept); confidence taken from the nearer source frame.
    static func resample(_ sequence: PoseSequence, to frames: Int) -> [Float] {
        let source = sequence.frameCount, stride = sequence.jointCount * 3
        guard source > 1, frames > 1 else {
            return (0..<frames).flatMap { _ in sequence.values[0..<stride] }
        }
        var out = [Float](repeating: 0, count: frames * stride)
        for frame in 0..<frames {
            let position = Double(frame) * Double(source - 1) / Double(frames - 1)
            let lower = min(Int(position), source - 2)
            let w = Float(position - Double(lower))
            let a = lower * stride, b = a + stride, o = frame * stride
            for k in Swift.stride(from: 0, to: stride, by: 3) {
                out[o + k] = sequence.values[a + k] * (1 - w) + sequence.values[b + k] * w
                out[o + k + 1] = sequence.values[a + k + 1] * (1 - w) + sequence.values[b + k + 1] * w
                out[o + k + 2] = w < 0.5 ? sequence.values[a + k + 2] : sequence.values[b + k + 2]
            }
        }
        return out
    }

    /// The mean distance between the shoulders over the frames that show both, or nil.
    public static func shoulderWidth(of sequence: PoseSequence) -> Double? {
        guard let right = sequence.layout.joints.firstIndex(of: "right_shoulder"),
              let left = sequence.layout.joints.firstIndex(of: "left_shoulder") else { return nil }
        var sum = 0.0
        var frames = 0
        for frame in 0..<sequence.frameCount {
            let a = sequence.point(frame: frame, joint: right), b = sequence.point(frame: frame, joint: left)
            guard a.confidence > 0, b.confidence > 0 else { continue }
            let dx = Double(a.x - b.x), dy = Double(a.y - b.y)
            sum += (dx * dx + dy * dy).squareRoot()
            frames += 1
        }
        guard frames > 0, sum > 0 else { return nil }
        return sum / Double(frames)
    }
}
