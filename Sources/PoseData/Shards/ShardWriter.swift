import CZlib
import Foundation
import Platform

/// Writes a sharded dataset (``ShardFormat``) sample by sample, so a dataset larger than memory
/// can be written: it holds one shard's samples at a time.
///
/// Shards go into the directory as they fill, under names that no index refers to yet
/// (`shard-00000-1a2b3c4d.safetensors`: the position and the CRC-32 of the contents); ``finish()``
/// writes `index.json` last, atomically, and only then removes the shards of a dataset it replaced.
/// A reader sees the old dataset or the new one, never a mix; a write that fails or is abandoned
/// leaves the old dataset as it was (``abandon()`` removes the new shards). Shards left by a write
/// that was killed are removed by the next write that finishes in the directory.
public struct ShardWriter {
    /// The dataset directory.
    public let directory: URL
    /// The layout every sample must follow.
    public let layout: Layout
    /// Samples per shard (the last shard may hold fewer).
    public let samplesPerShard: Int
    private var pending: [PoseSequence] = []
    /// The text feature width of the pending samples that have features.
    private var pendingWidth: Int?
    private var written: [ShardIndex.Shard] = []
    private var appended = 0
    /// The dataset being replaced, whose shards are removed once the new index is in place.
    private let replaced: ShardIndex?

    /// Prepares to write into `directory`, which must be new, empty, or hold a sharded dataset
    /// (replaced once ``finish()`` succeeds).
    public init(directory: URL, layout: Layout, samplesPerShard: Int) throws(PoseDataError) {
        guard (1...ShardFormat.maximumSamplesPerShard).contains(samplesPerShard) else {
            throw PoseDataError.invalidSequence("samples per shard must be 1...\(ShardFormat.maximumSamplesPerShard), not \(samplesPerShard)")
        }
        try layout.validate()
        self.directory = directory
        self.layout = layout
        self.samplesPerShard = samplesPerShard
        replaced = try Self.prepare(directory)
    }

    /// Creates the directory, or checks that it is empty or a sharded dataset; returns that
    /// dataset's index.
    private static func prepare(_ directory: URL) throws(PoseDataError) -> ShardIndex? {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
                throw PoseDataError.io("cannot create directory \(directory.path): \(error.localizedDescription)")
            }
            return nil
        }
        guard isDirectory.boolValue else { throw PoseDataError.io("cannot write shards to \(directory.path): it is a file, not a directory") }
        let indexURL = directory.appendingPathComponent(ShardFormat.indexFileName)
        if FileManager.default.fileExists(atPath: indexURL.path) {
            do { return try ShardedSamples.readIndex(indexURL) } catch {
                throw PoseDataError.io("cannot replace the sharded dataset in \(directory.path): its index cannot be read (\(error)); remove the directory or choose another")
            }
        }
        // Shard files no index lists are what an interrupted write (killed, or a full disk) left:
        // they are replaced like an old dataset's, not a reason to refuse the directory.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        if let other = entries.first(where: { !$0.hasPrefix(".") && !ShardFormat.isShardFileName($0) }) {
            throw PoseDataError.io("cannot write shards to \(directory.path): it holds \(QuotedText.quoted(other)) and is not a sharded dataset; give a new or empty directory")
        }
        return nil
    }

    /// Adds a sample; every `samplesPerShard` samples a shard is written.
    public mutating func append(_ sample: PoseSequence) throws(PoseDataError) {
        let label = "sample \(appended)" + (sample.name.map { " (\(QuotedText.quoted($0)))" } ?? "")
        guard sample.layout == layout else {
            throw PoseDataError.invalidSequence("\(label) follows layout \(QuotedText.quoted(sample.layout.name)), the sharded dataset \(QuotedText.quoted(layout.name))")
        }
        guard sample.frameCount <= ShardFormat.maximumFramesPerSample else {
            throw PoseDataError.invalidSequence("\(label) has \(sample.frameCount) frames; a shard holds at most \(ShardFormat.maximumFramesPerSample) per sample (crop it)")
        }
        if let features = sample.textFeatures {
            guard features.rows <= ShardFormat.maximumFeatureRows, features.width <= ShardFormat.maximumFeatureWidth else {
                throw PoseDataError.invalidSequence("\(label) has \(features.rows) × \(features.width) text features; a shard holds at most \(ShardFormat.maximumFeatureRows) × \(ShardFormat.maximumFeatureWidth)")
            }
            if let width = pendingWidth, width != features.width {
                throw PoseDataError.invalidSequence("\(label) has text features of width \(features.width), the samples before it \(width); give every sample one width")
            }
            pendingWidth = features.width
        }
        pending.append(sample)
        appended += 1
        if pending.count == samplesPerShard { try flush() }
    }

    /// Writes the last shard and the index; returns a summary of what was written.
    @discardableResult
    public mutating func finish() throws(PoseDataError) -> String {
        if !pending.isEmpty { try flush() }
        let index = ShardIndex(layout: layout, shards: written)
        try Self.writeFile(index.jsonBytes(), to: directory.appendingPathComponent(ShardFormat.indexFileName))
        removeShards(except: Set(written.map(\.file)))
        let bytes = written.reduce(0) { $0 + $1.bytes }
        return "wrote \(index.sampleCount) samples (\(index.frameCount) frames, layout \(QuotedText.quoted(layout.name)), \(layout.jointCount) joints) as \(written.count) shard\(written.count == 1 ? "" : "s") of up to \(samplesPerShard) samples (\(bytes) bytes) to \(directory.path)"
    }

    /// Removes the shards written so far (those a replaced dataset does not also list), for a
    /// write that cannot finish.
    public func abandon() {
        let kept = Set(replaced?.shards.map(\.file) ?? [])
        for shard in written where !kept.contains(shard.file) {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(shard.file))
        }
    }

    /// Removes the replaced dataset's shards and any left by an interrupted write: every file
    /// named like a shard that the new index does not list.
    private func removeShards(except kept: Set<String>) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in entries where ShardFormat.isShardFileName(name) && !kept.contains(name) {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    private mutating func flush() throws(PoseDataError) {
        let bytes = ShardEncoder.encode(pending, jointCount: layout.jointCount)
        let file = ShardFormat.shardFileName(position: written.count, checksum: Self.checksum(bytes))
        try Self.writeFile(bytes, to: directory.appendingPathComponent(file))
        written.append(ShardIndex.Shard(file: file, samples: pending.count, frames: pending.reduce(0) { $0 + $1.frameCount }, bytes: bytes.count))
        pending.removeAll(keepingCapacity: true)
        pendingWidth = nil
    }

    /// The CRC-32 of `bytes` (zlib's, in chunks its 32-bit lengths can take).
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc = crc32(0, nil, 0)
            var start = 0
            while start < buffer.count {
                let length = min(buffer.count - start, 1 << 30)
                crc = crc32(crc, buffer.baseAddress! + start, UInt32(length))
                start += length
            }
            return UInt32(crc)
        }
    }

    /// Every file of a sharded dataset is written through here, atomically.
    private static func writeFile(_ bytes: [UInt8], to url: URL) throws(PoseDataError) {
        try OutputFile.write(bytes, to: url)
    }
}
