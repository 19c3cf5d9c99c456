import Platform

/// Per-channel normalisation of pose coordinates: x' = (x − mean_x) / std_x, y' = (y − mean_y) / std_y.
///
/// The statistics are confidence-weighted over all joints and frames of a dataset (fit them on the
/// training split and store them with the model):
/// mean = Σ c·v / Σ c, std = √(Σ c·(v − mean)² / Σ c), with c the joint's confidence, so missing
/// joints (c = 0) do not count and uncertain ones count less. A channel whose std is below
/// ``minimumStandardDeviation`` keeps std = 1, so a constant channel is shifted but not blown up.
///
/// Missing joints carry no position: ``normalize(_:)`` and ``denormalize(_:)`` set their x and y
/// to 0 (the mean in normalised space, the "missing" convention in data space) and leave the
/// confidence as it is.
public struct Normalizer: Sendable, Equatable, Codable {
    /// Mean of x and of y.
    public var meanX: Float
    public var meanY: Float
    /// Standard deviation of x and of y (> 0).
    public var stdX: Float
    public var stdY: Float

    /// Standard deviations below this are replaced by 1.
    public static let minimumStandardDeviation: Float = 1e-6

    /// The identity normaliser (mean 0, std 1).
    public static let identity = Normalizer(meanX: 0, meanY: 0, stdX: 1, stdY: 1)

    /// Creates a normaliser from its statistics; the stds must be positive.
    public init(meanX: Float, meanY: Float, stdX: Float, stdY: Float) {
        self.meanX = meanX
        self.meanY = meanY
        self.stdX = stdX
        self.stdY = stdY
    }

    /// Fits the confidence-weighted statistics of every joint in every frame of `dataset`.
    public init(fitting dataset: PoseDataset) throws(PoseDataError) {
        try self.init(fitting: dataset.samples)
    }

    /// Fits the confidence-weighted statistics of every joint in every frame of `sequences` (read
    /// twice, one sequence at a time).
    public init(fitting sequences: some Collection<PoseSequence>) throws(PoseDataError) {
        // Two passes in Double: the mean first, then squared deviations around it.
        var weight = 0.0, sumX = 0.0, sumY = 0.0
        for sequence in sequences {
            sequence.values.withUnsafeBufferPointer { values in
                var i = 0
                while i < values.count {
                    let c = Double(values[i + 2])
                    if c > 0 {
                        weight += c
                        sumX += c * Double(values[i])
                        sumY += c * Double(values[i + 1])
                    }
                    i += 3
                }
            }
        }
        guard weight > 0, weight.isFinite, sumX.isFinite, sumY.isFinite else {
            throw PoseDataError.invalidSequence(
                weight > 0 ? "cannot fit normalisation statistics: the data holds non-finite values"
                    : "cannot fit normalisation statistics: no joint has a confidence above 0")
        }
        let meanX = sumX / weight, meanY = sumY / weight
        var squaresX = 0.0, squaresY = 0.0
        for sequence in sequences {
            sequence.values.withUnsafeBufferPointer { values in
                var i = 0
                while i < values.count {
                    let c = Double(values[i + 2])
                    if c > 0 {
                        let dx = Double(values[i]) - meanX, dy = Double(values[i + 1]) - meanY
                        squaresX += c * dx * dx
                        squaresY += c * dy * dy
                    }
                    i += 3
                }
            }
        }
        func deviation(_ squares: Double) -> Float {
            let std = Float((squares / weight).squareRoot())
            return std >= Self.minimumStandardDeviation && std.isFinite ? std : 1
        }
        self.init(meanX: Float(meanX), meanY: Float(meanY), stdX: deviation(squaresX), stdY: deviation(squaresY))
    }

    /// Normalises flat (…, 3) values of (x, y, confidence) in place.
    public func normalize(values: inout [Float]) {
        let scaleX = 1 / stdX, scaleY = 1 / stdY
        values.withUnsafeMutableBufferPointer { values in
            var i = 0
            while i + 2 < values.count {
                if values[i + 2] > 0 {
                    values[i] = (values[i] - meanX) * scaleX
                    values[i + 1] = (values[i + 1] - meanY) * scaleY
                } else {
                    values[i] = 0
                    values[i + 1] = 0
                }
                i += 3
            }
        }
    }

    /// Undoes ``normalize(values:)`` in place.
    public func denormalize(values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { values in
            var i = 0
            while i + 2 < values.count {
                if values[i + 2] > 0 {
                    values[i] = values[i] * stdX + meanX
                    values[i + 1] = values[i + 1] * stdY + meanY
                } else {
                    values[i] = 0
                    values[i + 1] = 0
                }
                i += 3
            }
        }
    }

    /// `sequence` with normalised coordinates.
    public func normalize(_ sequence: PoseSequence) -> PoseSequence {
        var copy = sequence
        normalize(values: &copy.values)
        return copy
    }

    /// `sequence` with normalised coordinates mapped back to data space.
    public func denormalize(_ sequence: PoseSequence) -> PoseSequence {
        var copy = sequence
        denormalize(values: &copy.values)
        return copy
    }

    /// Every sample of `dataset` normalised.
    public func normalize(_ dataset: PoseDataset) -> PoseDataset {
        dataset.replacingSamples(dataset.samples.map(normalize))
    }

    /// Every sample of `dataset` mapped back to data space.
    public func denormalize(_ dataset: PoseDataset) -> PoseDataset {
        dataset.replacingSamples(dataset.samples.map(denormalize))
    }

    /// The statistics as named values, for a checkpoint's metadata:
    /// `normalizer.mean_x`, `normalizer.mean_y`, `normalizer.std_x`, `normalizer.std_y`.
    public var dictionary: [String: Float] {
        ["normalizer.mean_x": meanX, "normalizer.mean_y": meanY, "normalizer.std_x": stdX, "normalizer.std_y": stdY]
    }

    /// Reads the statistics back from ``dictionary``'s keys (other keys are ignored).
    public init(dictionary: [String: Float]) throws(PoseDataError) {
        func value(_ key: String) throws(PoseDataError) -> Float {
            guard let value = dictionary[key], value.isFinite else {
                throw PoseDataError.invalidSequence("normalisation statistics: \(QuotedText.quoted(key)) is missing or not finite")
            }
            return value
        }
        let stdX = try value("normalizer.std_x"), stdY = try value("normalizer.std_y")
        guard stdX > 0, stdY > 0 else {
            throw PoseDataError.invalidSequence("normalisation statistics: standard deviations must be positive, not \(stdX), \(stdY)")
        }
        self.init(meanX: try value("normalizer.mean_x"), meanY: try value("normalizer.mean_y"), stdX: stdX, stdY: stdY)
    }
}
