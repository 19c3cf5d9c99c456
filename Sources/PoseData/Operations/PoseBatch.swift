/// Sequences of different lengths padded into one block for training.
///
/// `values` is B × Tmax × J × 3 (x, y, confidence), row-major; frames past a sample's length are
/// zero (confidence 0, so they also count as missing). `frameMask` is B × Tmax with 1 for real
/// frames and 0 for padding.
public struct PoseBatch: Sendable, Equatable {
    /// Dataset indices of the samples, B of them.
    public var indices: [Int]
    /// Frames per sample before padding.
    public var lengths: [Int]
    /// The padded length, Tmax (the longest sample's length).
    public var maxFrames: Int
    /// Joints per frame, J.
    public var jointCount: Int
    /// B × Tmax × J × 3 values.
    public var values: [Float]
    /// B × Tmax: 1 where a frame is real, 0 where it is padding.
    public var frameMask: [Float]

    /// The number of samples, B.
    public var batchSize: Int { lengths.count }

    /// Pads `samples` (which must share a joint count) into one batch; `indices` records where
    /// they came from (defaults to 0..<B).
    public init(samples: [PoseSequence], indices: [Int]? = nil) throws(PoseDataError) {
        guard let first = samples.first else {
            throw PoseDataError.invalidSequence("a batch needs at least one sample")
        }
        let joints = first.jointCount
        for (position, sample) in samples.enumerated() where sample.jointCount != joints {
            throw PoseDataError.invalidSequence(
                "batch sample \(position) has \(sample.jointCount) joints, sample 0 has \(joints)")
        }
        if let indices, indices.count != samples.count {
            throw PoseDataError.invalidSequence("a batch of \(samples.count) samples was given \(indices.count) indices")
        }
        let lengths = samples.map(\.frameCount)
        let maxFrames = lengths.max() ?? 0
        let frameSize = joints * 3
        var values = [Float](repeating: 0, count: samples.count * maxFrames * frameSize)
        var mask = [Float](repeating: 0, count: samples.count * maxFrames)
        for (b, sample) in samples.enumerated() {
            let base = b * maxFrames * frameSize
            values.withUnsafeMutableBufferPointer { target in
                sample.values.withUnsafeBufferPointer { source in
                    guard let from = source.baseAddress, let to = target.baseAddress else { return }
                    (to + base).update(from: from, count: source.count)
                }
            }
            for t in 0..<sample.frameCount { mask[b * maxFrames + t] = 1 }
        }
        self.indices = indices ?? Array(samples.indices)
        self.lengths = lengths
        self.maxFrames = maxFrames
        self.jointCount = joints
        self.values = values
        self.frameMask = mask
    }

    /// Sample `b` without its padding.
    public func sample(_ b: Int, layout: Layout, fps: Double) throws(PoseDataError) -> PoseSequence {
        let frameSize = jointCount * 3
        let start = b * maxFrames * frameSize
        return try PoseSequence(layout: layout, fps: fps,
                                values: Array(values[start..<(start + lengths[b] * frameSize)]))
    }
}

/// Cuts a dataset into padded batches, epoch by epoch, in a seeded order.
///
/// With bucketing (the default) each epoch shuffles the samples, takes them in pools of
/// `poolBatches × batchSize`, sorts each pool by length and cuts it into batches, then shuffles
/// the batches: batches hold samples of similar length (little padding) while their order stays
/// random. The order depends only on `seed` and the epoch.
public struct PoseBatcher: Sendable {
    /// The dataset batched.
    public let dataset: PoseDataset
    /// Samples per batch (the last batch of an epoch may be smaller unless `dropLast`).
    public let batchSize: Int
    /// The seed of every epoch's order.
    public let seed: UInt64
    /// Whether batches group samples of similar length.
    public let bucketByLength: Bool
    /// Batches per pool when bucketing.
    public let poolBatches: Int
    /// Whether a last, smaller batch is dropped.
    public let dropLast: Bool
    /// Longer samples are cut to this many frames (from their start), when set.
    public let maximumFrames: Int?
    /// Each sample's frame count, read once (from the shard headers for a mapped dataset).
    private let frameCounts: [Int]

    public init(dataset: PoseDataset, batchSize: Int, seed: UInt64, bucketByLength: Bool = true,
                poolBatches: Int = 50, dropLast: Bool = false, maximumFrames: Int? = nil) throws(PoseDataError) {
        guard batchSize > 0 else { throw PoseDataError.invalidSequence("batch size must be at least 1, not \(batchSize)") }
        guard poolBatches > 0 else { throw PoseDataError.invalidSequence("pool size must be at least 1 batch, not \(poolBatches)") }
        if let maximumFrames, maximumFrames < 1 {
            throw PoseDataError.invalidSequence("maximum frames must be at least 1, not \(maximumFrames)")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.seed = seed
        self.bucketByLength = bucketByLength
        self.poolBatches = poolBatches
        self.dropLast = dropLast
        self.maximumFrames = maximumFrames
        frameCounts = dataset.samples.indices.map(dataset.samples.frameCount(at:))
    }

    /// The dataset indices of each batch of `epoch`.
    public func batchIndices(epoch: Int) -> [[Int]] {
        var generator = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0xD1B5_4A32_D192_ED03))
        var order = Array(frameCounts.indices)
        generator.shuffle(&order)
        var batches: [[Int]] = []
        func cut(_ indices: ArraySlice<Int>) {
            var start = indices.startIndex
            while start < indices.endIndex {
                let end = min(start + batchSize, indices.endIndex)
                if end - start == batchSize || !dropLast { batches.append(Array(indices[start..<end])) }
                start = end
            }
        }
        if bucketByLength {
            let pool = poolBatches * batchSize
            var start = 0
            var sorted: [Int] = []
            while start < order.count {
                let end = min(start + pool, order.count)
                // Sort by length; the shuffled position breaks ties, so the result is deterministic.
                sorted += order[start..<end].enumerated()
                    .sorted { (frameCounts[$0.element], $0.offset) < (frameCounts[$1.element], $1.offset) }
                    .map(\.element)
                start = end
            }
            // Cut per pool so a batch never mixes two pools.
            var poolStart = 0
            while poolStart < sorted.count {
                let poolEnd = min(poolStart + pool, sorted.count)
                cut(sorted[poolStart..<poolEnd])
                poolStart = poolEnd
            }
            generator.shuffle(&batches)
        } else {
            cut(order[...])
        }
        return batches
    }

    /// The padded batches of `epoch`.
    public func batches(epoch: Int) throws(PoseDataError) -> [PoseBatch] {
        var result: [PoseBatch] = []
        for indices in batchIndices(epoch: epoch) {
            var samples: [PoseSequence] = []
            for index in indices {
                var sample = dataset.samples[index]
                if let maximumFrames, sample.frameCount > maximumFrames {
                    sample = try sample.cropped(to: 0..<maximumFrames)
                }
                samples.append(sample)
            }
            result.append(try PoseBatch(samples: samples, indices: indices))
        }
        return result
    }
}
