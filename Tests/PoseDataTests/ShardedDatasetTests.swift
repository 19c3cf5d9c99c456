import Foundation
import XCTest
@testable import PoseData

/// Writing and reading sharded datasets: the same samples as the source, mapped, selection that
/// stays mapped, atomic replacement, and the committed fixture both readers are checked against.
final class ShardedDatasetTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let devPickle = repositoryRoot.appendingPathComponent("data/words/dev.pkl")

    /// Samples with and without text features, names, glosses and signers, and odd text.
    static func mixedDataset() throws -> PoseDataset {
        var samples: [PoseSequence] = []
        for index in 0..<7 {
            var sample = try TestData.sequence(frames: 3 + index, fps: index == 2 ? 30 : 25, name: index == 1 ? nil : "s\(index)")
            sample.text = index == 3 ? nil : "Text \(index) \u{1B}[31m é 手"
            sample.gloss = index % 2 == 0 ? "G \(index)" : nil
            sample.signer = index == 4 ? "ase" : nil
            if index == 2 || index == 5 {
                sample.textFeatures = try TextFeatures(rows: index - 1, width: 3, values: (0..<((index - 1) * 3)).map { Float($0) / 3 })
            }
            samples.append(sample)
        }
        samples.append(try TestData.sequence(frames: 0, name: "empty"))
        return try PoseDataset(layout: TestData.tinyLayout, samples: samples)
    }

    func testRoundTripKeepsEverySampleAndIsMapped() throws {
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("mixed")
        let dataset = try Self.mixedDataset()
        try PoseIO.saveShards(dataset, to: directory, samplesPerShard: 3)
        XCTAssertEqual(try PoseIO.format(of: directory), .shards)
        let loaded = try PoseIO.load(contentsOf: directory)
        XCTAssertTrue(loaded.isMapped)
        XCTAssertFalse(dataset.isMapped)
        XCTAssertEqual(loaded.layout, dataset.layout)
        XCTAssertEqual(loaded.count, dataset.count)
        for index in 0..<dataset.count {
            XCTAssertEqual(loaded[index], dataset[index], "sample \(index)")
            XCTAssertEqual(loaded.samples.summary(at: index), dataset.samples.summary(at: index), "summary \(index)")
            XCTAssertEqual(loaded.samples.frameCount(at: index), dataset[index].frameCount)
        }
        XCTAssertEqual(loaded, dataset)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(files.count, 4, "three shards of up to 3 samples and the index: \(files)")
        XCTAssertTrue(files.contains("index.json"))
    }

    func testPickleAndItsShardsGiveTheSameSamples() throws {
        let pickle = try PoseIO.load(contentsOf: Self.devPickle)
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("dev")
        let summary = try PoseConversion(input: Self.devPickle, output: directory, samplesPerShard: 7).run()
        XCTAssertTrue(summary.contains("as 6 shards of up to 7 samples"), summary)
        let shards = try PoseIO.load(contentsOf: directory)
        XCTAssertEqual(shards, pickle)
        XCTAssertEqual(Array(shards.samples.summaries), Array(pickle.samples.summaries))
        // Selections stay mapped and pick the same samples.
        let picked = try shards.subset([39, 0, 17])
        XCTAssertTrue(picked.isMapped)
        XCTAssertEqual(picked, try pickle.subset([39, 0, 17]))
        XCTAssertEqual(shards.filter { $0.frameCount > 80 }, pickle.filter { $0.frameCount > 80 })
        XCTAssertTrue(shards.filter(text: "Uhr").isMapped)
        XCTAssertEqual(shards.index(matching: pickle[12].name!), 12)
        let parts = try shards.split(fractions: [0.5, 0.5], seed: 3)
        XCTAssertEqual(parts, try pickle.split(fractions: [0.5, 0.5], seed: 3))
        XCTAssertTrue(parts.allSatisfy(\.isMapped))
        // Batches are the same, in the same order.
        let fromShards = try PoseBatcher(dataset: shards, batchSize: 6, seed: 9, maximumFrames: 50)
        let fromPickle = try PoseBatcher(dataset: pickle, batchSize: 6, seed: 9, maximumFrames: 50)
        XCTAssertEqual(fromShards.batchIndices(epoch: 2), fromPickle.batchIndices(epoch: 2))
        XCTAssertEqual(try fromShards.batches(epoch: 1), try fromPickle.batches(epoch: 1))
        // Back to a pickle: the same bytes as the original pickle written again.
        let copy = directory.deletingLastPathComponent().appendingPathComponent("copy.pkl")
        try PoseIO.save(shards, to: copy)
        XCTAssertEqual(try PoseIO.load(contentsOf: copy), pickle)
    }

    func testCommittedFixtureIsWhatTheWriterWritesAndReadsAsItsSource() throws {
        let source = TestData.fixture("shards-source.json")
        let committed = TestData.fixture("shards")
        XCTAssertEqual(try PoseIO.load(contentsOf: committed), try PoseIO.load(contentsOf: source))
        let fresh = try TestData.temporaryDirectory(self).appendingPathComponent("shards")
        try PoseConversion(input: source, output: fresh, samplesPerShard: 2).run()
        let names = try FileManager.default.contentsOfDirectory(atPath: committed.path).sorted()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fresh.path).sorted(), names,
                       "regenerate with scripts/make_shard_fixtures.py if the format changed on purpose")
        for name in names {
            XCTAssertEqual(try Data(contentsOf: fresh.appendingPathComponent(name)), try Data(contentsOf: committed.appendingPathComponent(name)), name)
        }
    }

    func testPoseDirectoryConvertsToShardsSampleBySample() throws {
        let root = try TestData.temporaryDirectory(self)
        let dataset = try Self.mixedDataset().subset([0, 2, 4, 6])
        let poses = root.appendingPathComponent("poses/")
        try PoseIO.save(dataset, to: poses)
        let shards = root.appendingPathComponent("shards")
        try PoseConversion(input: poses, output: shards, fps: 50, samplesPerShard: 3).run()
        XCTAssertEqual(try PoseIO.load(contentsOf: shards), try PoseIO.load(contentsOf: poses).resampled(toFPS: 50))
        // JSON in, one sample picked.
        let json = root.appendingPathComponent("d.json")
        try PoseIO.save(dataset, to: json)
        let one = root.appendingPathComponent("one")
        try PoseConversion(input: json, output: one, sample: "s4", samplesPerShard: 3).run()
        XCTAssertEqual(try PoseIO.load(contentsOf: one).samples.map(\.name), ["s4"])
        // Shards in, a JSON file out.
        let back = root.appendingPathComponent("back.json")
        try PoseConversion(input: shards, output: back).run()
        XCTAssertEqual(try PoseIO.load(contentsOf: back), try PoseIO.load(contentsOf: shards))
    }

    func testEmptyDatasetWritesAnIndexWithoutShards() throws {
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("empty")
        try PoseIO.saveShards(try PoseDataset(layout: TestData.tinyLayout, samples: []), to: directory, samplesPerShard: 4)
        let loaded = try PoseIO.load(contentsOf: directory)
        XCTAssertEqual(loaded.count, 0)
        XCTAssertEqual(loaded.layout, TestData.tinyLayout)
    }

    func testRewritingReplacesTheDatasetAndAnOpenedOneKeepsReading() throws {
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("data")
        let first = try Self.mixedDataset()
        try PoseIO.saveShards(first, to: directory, samplesPerShard: 2)
        let opened = try PoseIO.load(contentsOf: directory)
        let firstFiles = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        let second = try first.subset([6, 5, 4])
        try PoseIO.save(second, to: directory)  // an existing sharded dataset: rewritten as shards
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        XCTAssertEqual(files.subtracting(firstFiles).count, 1, "one new shard (default shard size): \(files)")
        XCTAssertEqual(files.count, 2, "the old shards are removed: \(files)")
        XCTAssertEqual(try PoseIO.load(contentsOf: directory), second)
        XCTAssertEqual(opened, first, "maps opened before the rewrite still read the old samples")
    }

    func testWriterRefusesADirectoryOfOtherFilesAndAbandonsCleanly() throws {
        let root = try TestData.temporaryDirectory(self)
        let busy = root.appendingPathComponent("busy")
        try FileManager.default.createDirectory(at: busy, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: busy.appendingPathComponent("notes.txt"))
        XCTAssertThrowsError(try PoseIO.saveShards(try Self.mixedDataset(), to: busy, samplesPerShard: 2)) { error in
            XCTAssertTrue("\(error)".contains("holds 'notes.txt' and is not a sharded dataset"), "\(error)")
        }
        let target = root.appendingPathComponent("partial")
        var writer = try ShardWriter(directory: target, layout: TestData.tinyLayout, samplesPerShard: 2)
        for sample in try Self.mixedDataset().samples.prefix(3) { try writer.append(sample) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path).count, 1, "one full shard written")
        let other = try TestData.sequence(layout: .openPose137, frames: 2)
        XCTAssertThrowsError(try writer.append(other)) { error in
            XCTAssertTrue("\(error)".contains("sample 3 follows layout 'openpose137', the sharded dataset 'tiny'"), "\(error)")
        }
        writer.abandon()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), [])
        XCTAssertThrowsError(try PoseIO.load(contentsOf: target))
    }

    func testShardsOfAKilledWriteAreReplacedByTheNextWrite() throws {
        let root = try TestData.temporaryDirectory(self)
        let dataset = try Self.mixedDataset()
        for existing in [false, true] {
            let directory = root.appendingPathComponent(existing ? "rewritten" : "fresh")
            if existing { try PoseIO.saveShards(dataset, to: directory, samplesPerShard: 4) }
            // A write killed after its first shard: neither finish() nor abandon() runs.
            var killed = try ShardWriter(directory: directory, layout: dataset.layout, samplesPerShard: 3)
            for sample in dataset.samples.prefix(4) { try killed.append(sample) }
            let reversed = try dataset.subset(Array((0..<dataset.count).reversed()))
            try PoseIO.saveShards(reversed, to: directory, samplesPerShard: 5)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            XCTAssertEqual(files.count, 3, "two shards and the index, nothing left over: \(files)")
            XCTAssertEqual(try PoseIO.load(contentsOf: directory), reversed)
        }
        XCTAssertTrue(ShardFormat.isShardFileName(ShardFormat.shardFileName(position: 7, checksum: 0xAB)))
        XCTAssertEqual(ShardFormat.shardFileName(position: 7, checksum: 0xAB), "shard-00007-000000ab.safetensors")
        for name in ["shard-00007-000000AB.safetensors", "shard-0007-000000ab.safetensors", "shard-00007-000000ab.json",
                     "xshard-00007-000000ab.safetensors", "shard-00007-000000ab-x.safetensors", "notes.txt"] {
            XCTAssertFalse(ShardFormat.isShardFileName(name), name)
        }
    }

    func testWriterChecksFeatureWidthsAndShardSize() throws {
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("widths")
        var writer = try ShardWriter(directory: directory, layout: TestData.tinyLayout, samplesPerShard: 4)
        var a = try TestData.sequence(frames: 2, name: "a")
        a.textFeatures = try TextFeatures(rows: 1, width: 2, values: [1, 2])
        var b = try TestData.sequence(frames: 2, name: "b")
        b.textFeatures = try TextFeatures(rows: 1, width: 3, values: [1, 2, 3])
        try writer.append(a)
        XCTAssertThrowsError(try writer.append(b)) { error in
            XCTAssertTrue("\(error)".contains("sample 1 ('b') has text features of width 3, the samples before it 2"), "\(error)")
        }
        XCTAssertThrowsError(try ShardWriter(directory: directory, layout: TestData.tinyLayout, samplesPerShard: 0)) { error in
            XCTAssertTrue("\(error)".contains("samples per shard must be 1..."), "\(error)")
        }
    }

    func testChangingAMappedCollectionReadsItIntoMemory() throws {
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("d")
        let dataset = try Self.mixedDataset()
        try PoseIO.saveShards(dataset, to: directory, samplesPerShard: 3)
        var loaded = try PoseIO.load(contentsOf: directory)
        loaded.samples[1].name = "renamed"
        XCTAssertFalse(loaded.isMapped)
        var expected = dataset
        expected.samples[1].name = "renamed"
        XCTAssertEqual(loaded, expected)
        var appended = try PoseIO.load(contentsOf: directory)
        appended.samples.append(dataset[0])
        XCTAssertEqual(appended.count, dataset.count + 1)
        XCTAssertEqual(Array(appended.samples.prefix(dataset.count)), Array(dataset.samples))
    }
}
