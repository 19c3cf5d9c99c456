import Foundation
import Platform

/// An opened sharded dataset: the index and every shard mapped and checked. Samples are found by
/// their position in shard order and copied out of the maps one at a time.
final class ShardedSamples: Sendable {
    /// The directory the dataset was opened from.
    let directory: URL
    let layout: Layout
    let shards: [PoseShard]
    /// The position of each shard's first sample, and the total at the end.
    private let starts: [Int]

    /// Opens the dataset in `directory`: reads `index.json`, maps every shard it lists and checks
    /// each against the index and the format.
    init(directory: URL) throws(PoseDataError) {
        let indexURL = directory.appendingPathComponent(ShardFormat.indexFileName)
        let index = try Self.readIndex(indexURL)
        var shards: [PoseShard] = []
        var starts = [0]
        for (position, entry) in index.shards.enumerated() {
            let path = directory.appendingPathComponent(entry.file).path
            let file: MappedFile
            do { file = try MappedFile(path: path) } catch {
                throw PoseDataError.io("cannot open shard \(position) of \(indexURL.path): \(error)")
            }
            guard file.count == entry.bytes else {
                throw PoseDataError.malformed(file: path, offset: nil, message:
                    "the file has \(file.count) bytes, but the index says \(entry.bytes): it was changed or cut short after the index was written")
            }
            shards.append(try PoseShard(file: file, jointCount: index.layout.jointCount, samples: entry.samples, frames: entry.frames))
            starts.append(starts[starts.count - 1] + entry.samples)
        }
        self.directory = directory
        layout = index.layout
        self.shards = shards
        self.starts = starts
    }

    /// Reads and parses `index.json`, refusing one larger than ``ShardFormat/maximumIndexBytes``
    /// before reading it.
    static func readIndex(_ url: URL) throws(PoseDataError) -> ShardIndex {
        let file: MappedFile
        do { file = try MappedFile(path: url.path) } catch {
            throw PoseDataError.io("cannot read the shard index: \(error)")
        }
        guard file.count <= ShardFormat.maximumIndexBytes else {
            throw PoseDataError.malformed(file: url.path, offset: nil, message:
                "the index has \(file.count) bytes, above the limit of \(ShardFormat.maximumIndexBytes)")
        }
        return try ShardIndex(jsonBytes: Array(file.bytes), file: url.path)
    }

    /// The number of samples.
    var count: Int { starts[starts.count - 1] }

    func sample(at index: Int) -> PoseSequence {
        let (shard, local) = locate(index)
        return shard.sequence(at: local, layout: layout)
    }

    func summary(at index: Int) -> PoseSampleSummary {
        let (shard, local) = locate(index)
        return shard.summary(at: local)
    }

    func frameCount(at index: Int) -> Int {
        let (shard, local) = locate(index)
        return shard.frameCount(at: local)
    }

    /// The shard holding sample `index` and the sample's position in it.
    private func locate(_ index: Int) -> (PoseShard, Int) {
        precondition(index >= 0 && index < count, "sample index \(index) is outside the dataset's \(count) samples")
        // The last shard whose first sample is at or before `index` (every shard holds ≥ 1 sample).
        var low = 0, high = shards.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= index { low = middle } else { high = middle - 1 }
        }
        return (shards[low], index - starts[low])
    }
}
