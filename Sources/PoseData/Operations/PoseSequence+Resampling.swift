import Platform

/// Changing the frame rate by linear interpolation.
extension PoseSequence {
    /// The sequence at `fps` frames per second, covering the same time span.
    ///
    /// Output frame k lies at time k / fps; frames are made for every such time up to the last
    /// input frame's time (T − 1) / self.fps, so there are ⌊(T − 1) · fps / self.fps⌋ + 1 of
    /// them (T = 0 stays empty). Output frame k reads input position s = k · self.fps / fps,
    /// between frames i = ⌊s⌋ and i + 1 with weight w = s − i:
    /// - w = 0 (s falls on a frame): that frame's values, unchanged;
    /// - the joint present (confidence > 0) in both neighbours: x, y and confidence are
    ///   interpolated, `(1 − w)·a + w·b`;
    /// - present in only one neighbour: x and y are that neighbour's, confidence is 0 — the joint
    ///   is not vouched for at that time, but keeps a meaningful position;
    /// - missing in both: x = y = confidence = 0.
    /// Resampling to the same fps returns the sequence unchanged.
    public func resampled(toFPS fps: Double) throws(PoseDataError) -> PoseSequence {
        guard PoseLimits.isValidFPS(fps) else {
            throw PoseDataError.invalidSequence("cannot resample: \(PoseLimits.fpsProblem(fps))")
        }
        if fps == self.fps { return self }
        let frames = frameCount
        let joints = jointCount
        let ratio = self.fps / fps
        // Counted in floating point and checked before the conversion to Int: a rate from a
        // corrupt file would otherwise make a frame count no Int holds.
        // A tiny slack keeps a last frame that lands exactly on the end despite rounding.
        let exactFrames = frames == 0 ? 0 : (Double(frames - 1) / ratio + 1e-9).rounded(.down) + 1
        if let problem = PoseLimits.shapeProblem(frames: exactFrames, joints: Double(joints)) {
            throw PoseDataError.invalidSequence(
                "resampling\(name.map { " \(QuotedText.quoted($0))" } ?? "") from \(NumberText.format(self.fps)) to \(NumberText.format(fps)) fps would make \(problem); choose a rate nearer the original")
        }
        let outputFrames = Int(exactFrames)
        var output = [Float](repeating: 0, count: outputFrames * joints * 3)
        values.withUnsafeBufferPointer { input in
            for k in 0..<outputFrames {
                let position = Double(k) * ratio
                var i = Int(position.rounded(.down))
                var weight = Float(position - Double(i))
                if i >= frames - 1 { i = frames - 1; weight = 0 }
                // Positions within a rounding error of a frame are that frame.
                if weight < 1e-6 { weight = 0 }
                if weight > 1 - 1e-6 { i += 1; weight = 0 }
                let a = i * joints * 3
                let b = a + joints * 3
                let o = k * joints * 3
                for j in 0..<joints {
                    let ja = a + j * 3, jo = o + j * 3
                    if weight == 0 {
                        output[jo] = input[ja]
                        output[jo + 1] = input[ja + 1]
                        output[jo + 2] = input[ja + 2]
                        continue
                    }
                    let jb = b + j * 3
                    let presentA = input[ja + 2] > 0, presentB = input[jb + 2] > 0
                    switch (presentA, presentB) {
                    case (true, true):
                        for c in 0..<3 { output[jo + c] = (1 - weight) * input[ja + c] + weight * input[jb + c] }
                    case (true, false):
                        output[jo] = input[ja]
                        output[jo + 1] = input[ja + 1]
                    case (false, true):
                        output[jo] = input[jb]
                        output[jo + 1] = input[jb + 1]
                    case (false, false):
                        break
                    }
                }
            }
        }
        var copy = self
        copy.values = output
        copy.fps = fps
        return copy
    }
}

extension PoseDataset {
    /// Every sample resampled to `fps` (see ``PoseSequence/resampled(toFPS:)``).
    public func resampled(toFPS fps: Double) throws(PoseDataError) -> PoseDataset {
        var samples: [PoseSequence] = []
        samples.reserveCapacity(count)
        for sample in self.samples { samples.append(try sample.resampled(toFPS: fps)) }
        return replacingSamples(samples)
    }
}
