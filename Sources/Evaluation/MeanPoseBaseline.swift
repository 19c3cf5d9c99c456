import PoseData

/// The simplest baseline: every frame is the training set's mean pose.
///
/// Each joint's x and y are averaged over all training frames, weighted by confidence; its
/// confidence is the mean confidence. A joint never present gets confidence 0.
public struct MeanPoseBaseline: Sendable, Equatable {
    /// The layout of the mean pose.
    public var layout: Layout
    /// One frame of (x, y, confidence) per joint.
    public var frame: [Float]

    /// Fits the mean pose of a dataset. Returns nil when the dataset has no frames.
    public init?(fitting dataset: PoseDataset) {
        let joints = dataset.layout.jointCount
        var sums = [Double](repeating: 0, count: joints * 3)
        var frames = 0
        for sample in dataset.samples {
            sample.values.withUnsafeBufferPointer { values in
                for f in 0..<sample.frameCount {
                    for j in 0..<joints {
                        let i = (f * joints + j) * 3
                        let c = Double(values[i + 2])
                        guard c > 0 else { continue }
                        sums[j * 3] += Double(values[i]) * c
                        sums[j * 3 + 1] += Double(values[i + 1]) * c
                        sums[j * 3 + 2] += c
                    }
                }
            }
            frames += sample.frameCount
        }
        guard frames > 0 else { return nil }
        layout = dataset.layout
        frame = (0..<joints).flatMap { j -> [Float] in
            let weight = sums[j * 3 + 2]
            guard weight > 0 else { return [0, 0, 0] }
            return [Float(sums[j * 3] / weight), Float(sums[j * 3 + 1] / weight), Float(weight / Double(frames))]
        }
    }

    /// The mean pose repeated for `frames` frames (at least one).
    public func sequence(frames: Int, fps: Double) throws(PoseDataError) -> PoseSequence {
        let count = max(frames, 1)
        var values = [Float]()
        values.reserveCapacity(count * frame.count)
        for _ in 0..<count { values.append(contentsOf: frame) }
        return try PoseSequence(layout: layout, fps: fps, values: values, name: "mean-pose")
    }
}
