/// Selecting samples: by index, by predicate, and seeded random splits.
extension PoseDataset {
    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) throws(PoseDataError) -> PoseDataset {
        var picked: [PoseSequence] = []
        picked.reserveCapacity(indices.count)
        for index in indices {
            guard samples.indices.contains(index) else {
                throw PoseDataError.invalidSequence("sample index \(index) is outside the dataset's \(count) samples")
            }
            picked.append(samples[index])
        }
        return replacingSamples(picked)
    }

    /// The samples for which `isIncluded` is true, in order.
    public func filter(_ isIncluded: (PoseSequence) throws -> Bool) rethrows -> PoseDataset {
        replacingSamples(try samples.filter(isIncluded))
    }

    /// The samples whose text is exactly `text`.
    public func filter(text: String) -> PoseDataset { filter { $0.text == text } }

    /// The samples whose signer (or sign language code) is exactly `signer`.
    public func filter(signer: String) -> PoseDataset { filter { $0.signer == signer } }

    /// The samples whose name is exactly `name`.
    public func filter(name: String) -> PoseDataset { filter { $0.name == name } }

    /// The index of the sample `key` picks: the first sample named `key`; else the first whose text
    /// is `key`; else the first whose text is `key` ignoring case (`uhr` finds `Uhr`). Nil when
    /// none matches. The one rule by which the notebook's `find`, `hybridsign render --name` and
    /// `hybridsign convert --sample` pick a sample.
    public func index(matching key: String) -> Int? {
        if let index = samples.firstIndex(where: { $0.name == key }) { return index }
        if let index = samples.firstIndex(where: { $0.text == key }) { return index }
        let folded = key.lowercased()
        return samples.firstIndex { $0.text?.lowercased() == folded }
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
            parts.append(replacingSamples(order[start..<max(start, end)].map { samples[$0] }))
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
        copy.samples = samples
        return copy
    }
}
