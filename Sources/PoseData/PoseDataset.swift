import Platform

/// A list of pose sequences that share one layout: a split such as `train.pkl`.
///
/// The samples live in memory, or stay in memory-mapped shard files (``ShardFormat``) and are read
/// one at a time as they are used (``PoseSamples``), so a dataset larger than memory can be
/// iterated, batched and trained on.
public struct PoseDataset: Sendable, Equatable {
    /// The layout every sample follows.
    public var layout: Layout
    /// The samples, in file order.
    public var samples: PoseSamples

    /// Creates a dataset in memory, checking that every sample follows `layout`.
    public init(layout: Layout, samples: [PoseSequence]) throws(PoseDataError) {
        for (index, sample) in samples.enumerated() where sample.layout != layout {
            throw PoseDataError.invalidSequence(
                "sample \(index) follows layout \(QuotedText.quoted(sample.layout.name)), the dataset \(QuotedText.quoted(layout.name))")
        }
        self.layout = layout
        self.samples = PoseSamples(samples)
    }

    /// A dataset over opened shards, whose samples follow the shards' layout.
    init(mapped shards: ShardedSamples) {
        layout = shards.layout
        samples = PoseSamples(mapped: shards)
    }

    /// The number of samples.
    public var count: Int { samples.count }

    /// The sample at `index` (read from its shard when the dataset is mapped).
    public subscript(index: Int) -> PoseSequence { samples[index] }

    /// Whether the samples are read from memory-mapped shards as they are used.
    public var isMapped: Bool { samples.isMapped }
}
