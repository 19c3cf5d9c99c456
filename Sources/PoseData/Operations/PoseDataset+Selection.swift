/// Selecting samples: by index, by predicate, and seeded random splits.
extension PoseDataset {
    /// The samples at `indices`, in that order (a mapped dataset stays mapped).
    public func subset(_ indices: [Int]) throws(PoseDataError) -> PoseDataset {
        for index in indices where !samples.indices.contains(index) {
            throw PoseDataError.invalidSequence("sample index \(index) is outside the dataset's \(count) samples")
        }
        return selecting(indices)
    }

    /// The samples for which `isIncluded` is true, in order (a mapped dataset stays mapped; each
    /// sample is read once to be tested).
    public func filter(_ isIncluded: (PoseSequence) throws -> Bool) rethrows -> PoseDataset {
        selecting(try samples.indices.filter { try isIncluded(samples[$0]) })
    }

    /// The samples whose summary passes `isIncluded` (no frames are read; a mapped dataset stays mapped).
    public func filterSummaries(_ isIncluded: (PoseSampleSummary) throws -> Bool) rethrows -> PoseDataset {
        selecting(try samples.indices.filter { try isIncluded(samples.summary(at: $0)) })
    }

    /// The samples whose text is exactly `text`.
    public func filter(text: String) -> PoseDataset { filterSummaries { $0.text == text } }

    /// The samples whose signer (or sign language code) is exactly `signer`.
    public func filter(signer: String) -> PoseDataset { filterSummaries { $0.signer == signer } }

    /// The samples whose name is exactly `name`.
    public func filter(name: String) -> PoseDataset { filterSummaries { $0.name == name } }

    /// The index of the sample `key` picks: the first sample named `key`; else the first whose text
    /// is `key`; else the first whose text is `key` ignoring case (`uhr` finds `Uhr`). Nil when
    /// none matches. The one rule by which the notebook's `find`, `hybridsign render --name` and
    /// `hybridsign convert --sample` pick a sample. It reads summaries only, so a mapped dataset
    /// loads no sample to answer.
    public func index(matching key: String) -> Int? {
        let summaries = samples.summaries
        if let index = summaries.firstIndex(where: { $0.name == key }) { return index }
        if let index = summaries.firstIndex(where: { $0.text == key }) { return index }
        let folded = key.lowercased()
        return summaries.firstIndex { $0.text?.lowercased() == folded }
    }

    /// Splits the samples at random into parts of the given fractions, for example
    /// `[0.8, 0.1, 0.1]`.
    ///
    /// The samples are shuffled with `seed` (the same seed gives the same split), then cut at the
    /// rounded cumulative fractions, so every sample lands in exactly one part and the parts'
    /// sizes differ from `fraction × count` by less than one. Fractions must be positive and sum
    /// to 1 (within 1e-6). Each part keeps the shuffled order.
    public func split(fractions: [Double], seed: UInt64) throws(PoseDataError) -> [PoseDataset] {
        guard !fractions.isEmpty, fractions.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw PoseDataError.invalidSequence("split fractions must be positive numbers, not \(fractions)")
        }
        let total = fractions.reduce(0, +)
        guard abs(total - 1) <= 1e-6 else {
            throw PoseDataError.invalidSequence("split fractions must sum to 1; \(fractions) sum to \(total)")
        }
        var order = Array(samples.indices)
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&order)
        var parts: [PoseDataset] = []
        var cumulative = 0.0
        var start = 0
        for (position, fraction) in fractions.enumerated() {
            cumulative += fraction
            let end = position == fractions.count - 1 ? count : min(count, Int((cumulative * Double(count)).rounded()))
            parts.append(selecting(Array(order[start..<max(start, end)])))
            start = max(start, end)
        }
        return parts
    }

    /// Applies `transform` to every sample; the results must share one layout.
    public func map(_ transform: (PoseSequence) throws(PoseDataError) -> PoseSequence) throws(PoseDataError) -> PoseDataset {
        var mapped: [PoseSequence] = []
        mapped.reserveCapacity(count)
        for sample in samples { mapped.append(try transform(sample)) }
        return try PoseDataset(layout: mapped.first?.layout ?? layout, samples: mapped)
    }

    /// A dataset of this layout holding `samples`, which come from this dataset (so they follow it).
    func replacingSamples(_ samples: [PoseSequence]) -> PoseDataset {
        var copy = self
        copy.samples = PoseSamples(samples)
        return copy
    }

    /// The samples at `indices` (inside the dataset), in that order; a mapped dataset stays mapped.
    func selecting(_ indices: [Int]) -> PoseDataset {
        var copy = self
        copy.samples = samples.selecting(indices)
        return copy
    }
}
