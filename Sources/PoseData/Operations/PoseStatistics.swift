/// Summary figures of a dataset: sizes, durations, and per part how much is missing and how
/// confident the rest is.
public struct PoseStatistics: Sendable, Equatable {
    /// Figures for one part of the layout.
    public struct Part: Sendable, Equatable {
        /// The part's name.
        public var name: String
        /// Joints in the part.
        public var jointCount: Int
        /// Fraction of the part's joint-frames with confidence 0 (0 when there are no frames).
        public var missingFraction: Double
        /// Mean confidence of the part's present joint-frames (confidence > 0); 0 when none are present.
        public var meanConfidence: Double
    }

    /// Number of samples.
    public var sampleCount: Int
    /// Frames over all samples.
    public var totalFrames: Int
    /// Fewest, mean and most frames per sample (0 for an empty dataset).
    public var minFrames: Int
    public var meanFrames: Double
    public var maxFrames: Int
    /// Total, shortest, mean and longest duration in seconds.
    public var totalDuration: Double
    public var minDuration: Double
    public var meanDuration: Double
    public var maxDuration: Double
    /// Distinct frame rates, ascending.
    public var frameRates: [Double]
    /// Fraction of all joint-frames that are missing.
    public var missingFraction: Double
    /// Per part, in the layout's order.
    public var parts: [Part]

    /// A few lines for people: counts, frames, durations and a row per part.
    public var summary: String {
        func format(_ value: Double, _ digits: Int = 2) -> String {
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            return "\((value * scale).rounded() / scale)"
        }
        var lines = [
            "\(sampleCount) samples, \(totalFrames) frames at \(frameRates.map { format($0) }.joined(separator: ", ")) fps",
            "frames per sample: min \(minFrames), mean \(format(meanFrames, 1)), max \(maxFrames)",
            "duration: total \(format(totalDuration))s, min \(format(minDuration))s, mean \(format(meanDuration))s, max \(format(maxDuration))s",
            "missing joints: \(format(missingFraction * 100, 1))%",
        ]
        for part in parts {
            lines.append("  \(part.name) (\(part.jointCount) joints): \(format(part.missingFraction * 100, 1))% missing, mean confidence \(format(part.meanConfidence, 3))")
        }
        return lines.joined(separator: "\n")
    }
}

extension PoseDataset {
    /// The dataset's ``PoseStatistics``.
    public func statistics() -> PoseStatistics {
        let frameCounts = samples.map(\.frameCount)
        let durations = samples.map(\.duration)
        let totalFrames = frameCounts.reduce(0, +)
        let n = Double(max(count, 1))
        var missing = [Int](repeating: 0, count: layout.parts.count)
        var confidenceSums = [Double](repeating: 0, count: layout.parts.count)
        for sample in samples {
            sample.values.withUnsafeBufferPointer { values in
                let joints = sample.jointCount
                for (index, part) in layout.parts.enumerated() {
                    var partMissing = 0
                    var partSum = 0.0
                    for frame in 0..<sample.frameCount {
                        let base = frame * joints * 3 + 2
                        for joint in part.joints {
                            let confidence = values[base + joint * 3]
                            if confidence > 0 { partSum += Double(confidence) } else { partMissing += 1 }
                        }
                    }
                    missing[index] += partMissing
                    confidenceSums[index] += partSum
                }
            }
        }
        let parts = layout.parts.enumerated().map { index, part -> PoseStatistics.Part in
            let cells = totalFrames * part.joints.count
            let present = cells - missing[index]
            return PoseStatistics.Part(
                name: part.name, jointCount: part.joints.count,
                missingFraction: cells == 0 ? 0 : Double(missing[index]) / Double(cells),
                meanConfidence: present == 0 ? 0 : confidenceSums[index] / Double(present))
        }
        let allCells = totalFrames * layout.jointCount
        return PoseStatistics(
            sampleCount: count, totalFrames: totalFrames,
            minFrames: frameCounts.min() ?? 0, meanFrames: Double(totalFrames) / n, maxFrames: frameCounts.max() ?? 0,
            totalDuration: durations.reduce(0, +), minDuration: durations.min() ?? 0,
            meanDuration: durations.reduce(0, +) / n, maxDuration: durations.max() ?? 0,
            frameRates: Array(Set(samples.map(\.fps))).sorted(),
            missingFraction: allCells == 0 ? 0 : Double(missing.reduce(0, +)) / Double(allCells),
            parts: parts)
    }
}
