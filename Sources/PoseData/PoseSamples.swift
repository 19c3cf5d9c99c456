/// The samples of a dataset: a random-access collection of ``PoseSequence``s that lives either in
/// memory or in memory-mapped shard files (``ShardFormat``).
///
/// Reading `samples[i]` of a mapped collection copies that one sample out of its shard, and a loop
/// over the collection reads one sample at a time, so a pass over a dataset larger than memory
/// needs memory for one sample. ``summary(at:)`` and ``frameCount(at:)`` answer from the shard
/// headers without reading frames. Changing a mapped collection (assigning an element, appending,
/// removing) first reads every sample into memory; ``selecting(_:)`` picks samples and stays mapped.
public struct PoseSamples: RandomAccessCollection, MutableCollection, RangeReplaceableCollection,
    ExpressibleByArrayLiteral, Equatable, Sendable {
    enum Storage: Sendable {
        case memory([PoseSequence])
        /// Shards and, when a subset was selected, the shard-order indices of its samples.
        case mapped(ShardedSamples, selection: [Int]?)
    }

    private(set) var storage: Storage

    /// No samples.
    public init() { storage = .memory([]) }

    /// Samples held in memory.
    public init(_ samples: [PoseSequence]) { storage = .memory(samples) }

    public init(arrayLiteral samples: PoseSequence...) { storage = .memory(samples) }

    /// The samples of opened shards (all of them, or `selection` in that order).
    init(mapped shards: ShardedSamples, selection: [Int]? = nil) { storage = .mapped(shards, selection: selection) }

    /// Whether the samples are read from memory-mapped shards rather than held in memory.
    public var isMapped: Bool {
        if case .mapped = storage { return true }
        return false
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .memory(let samples): return samples.count
        case .mapped(let shards, let selection): return selection?.count ?? shards.count
        }
    }

    public subscript(position: Int) -> PoseSequence {
        get {
            switch storage {
            case .memory(let samples): return samples[position]
            case .mapped(let shards, let selection): return shards.sample(at: selection?[position] ?? position)
            }
        }
        set {
            var samples = takeArray()
            samples[position] = newValue
            storage = .memory(samples)
        }
    }

    public mutating func replaceSubrange<C: Collection<PoseSequence>>(_ subrange: Range<Int>, with newElements: C) {
        var samples = takeArray()
        samples.replaceSubrange(subrange, with: newElements)
        storage = .memory(samples)
    }

    public mutating func reserveCapacity(_ n: Int) {
        var samples = takeArray()
        samples.reserveCapacity(n)
        storage = .memory(samples)
    }

    /// Sample `index` without its frames: metadata, rate and length (no frames are read).
    public func summary(at index: Int) -> PoseSampleSummary {
        switch storage {
        case .memory(let samples): return PoseSampleSummary(samples[index])
        case .mapped(let shards, let selection): return shards.summary(at: selection?[index] ?? index)
        }
    }

    /// Every sample's ``summary(at:)``, computed as they are read.
    public var summaries: LazyMapCollection<Range<Int>, PoseSampleSummary> {
        indices.lazy.map { self.summary(at: $0) }
    }

    /// The number of frames of sample `index` (no frames are read).
    public func frameCount(at index: Int) -> Int {
        switch storage {
        case .memory(let samples): return samples[index].frameCount
        case .mapped(let shards, let selection): return shards.frameCount(at: selection?[index] ?? index)
        }
    }

    /// The samples at `indices` (each in `indices`, the caller has checked), in that order; a
    /// mapped collection stays mapped.
    func selecting(_ indices: [Int]) -> PoseSamples {
        switch storage {
        case .memory(let samples): return PoseSamples(indices.map { samples[$0] })
        case .mapped(let shards, let selection):
            return PoseSamples(mapped: shards, selection: indices.map { selection?[$0] ?? $0 })
        }
    }

    public static func == (lhs: PoseSamples, rhs: PoseSamples) -> Bool {
        if case .memory(let a) = lhs.storage, case .memory(let b) = rhs.storage { return a == b }
        return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0 == $1 }
    }

    /// The samples as an array, leaving the storage empty so the array is uniquely referenced and
    /// changes in place (a mapped collection reads every sample).
    private mutating func takeArray() -> [PoseSequence] {
        let samples: [PoseSequence]
        switch storage {
        case .memory(let held): samples = held
        case .mapped: samples = Array(self)
        }
        storage = .memory([])
        return samples
    }
}
