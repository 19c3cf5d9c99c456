import Platform

/// Cutting frames out of sequences.
extension PoseSequence {
    /// The frames in `range` (frame indices), with the same metadata.
    public func cropped(to range: Range<Int>) throws(PoseDataError) -> PoseSequence {
        guard range.lowerBound >= 0, range.upperBound <= frameCount else {
            throw PoseDataError.invalidSequence(
                "cannot crop\(name.map { " \(QuotedText.quoted($0))" } ?? "") to frames \(range.lowerBound)..<\(range.upperBound): it has \(frameCount) frames")
        }
        let frameSize = jointCount * 3
        var copy = self
        copy.values = Array(values[(range.lowerBound * frameSize)..<(range.upperBound * frameSize)])
        return copy
    }

    /// Whether frame `frame` has a joint with confidence above `threshold`.
    public func hasPresentJoint(inFrame frame: Int, threshold: Float = 0) -> Bool {
        let frameSize = jointCount * 3
        var i = frame * frameSize + 2
        let end = (frame + 1) * frameSize
        while i < end {
            if values[i] > threshold { return true }
            i += 3
        }
        return false
    }

    /// The sequence without the leading and trailing frames in which no joint has confidence
    /// above `threshold` (empty if no frame has one). Frames inside are kept.
    public func trimmed(threshold: Float = 0) -> PoseSequence {
        let frames = frameCount
        var first = 0
        while first < frames, !hasPresentJoint(inFrame: first, threshold: threshold) { first += 1 }
        var last = frames
        while last > first, !hasPresentJoint(inFrame: last - 1, threshold: threshold) { last -= 1 }
        let frameSize = jointCount * 3
        var copy = self
        copy.values = Array(values[(first * frameSize)..<(last * frameSize)])
        return copy
    }
}

extension PoseDataset {
    /// Every sample trimmed of empty leading and trailing frames (see ``PoseSequence/trimmed(threshold:)``).
    public func trimmed(threshold: Float = 0) -> PoseDataset {
        replacingSamples(samples.map { $0.trimmed(threshold: threshold) })
    }

    /// Every sample cut to at most `maximumFrames` frames from its start.
    public func cropped(toAtMost maximumFrames: Int) throws(PoseDataError) -> PoseDataset {
        guard maximumFrames >= 0 else {
            throw PoseDataError.invalidSequence("cannot crop to \(maximumFrames) frames")
        }
        var samples: [PoseSequence] = []
        for sample in self.samples { samples.append(try sample.cropped(to: 0..<min(maximumFrames, sample.frameCount))) }
        return replacingSamples(samples)
    }
}
