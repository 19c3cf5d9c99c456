/// A list of pose sequences that share one layout: a split such as `train.pkl`.
public struct PoseDataset: Sendable, Equatable {
    /// The layout every sample follows.
    public var layout: Layout
    /// The samples, in file order.
    public var samples: [PoseSequence]

    /// Creates a dataset, checking that every sample follows `layout`.
    public init(layout: Layout, samples: [PoseSequence]) throws(PoseDataError) {
        for (index, sample) in samples.enumerated() where sample.layout != layout {
            throw PoseDataError.invalidSequence(
                "sample \(index) follows layout '\(sample.layout.name)', the dataset '\(layout.name)'")
        }
        self.layout = layout
        self.samples = samples
    }

    /// The number of samples.
    public var count: Int { samples.count }

    /// The sample at `index`.
    public subscript(index: Int) -> PoseSequence { samples[index] }
}
