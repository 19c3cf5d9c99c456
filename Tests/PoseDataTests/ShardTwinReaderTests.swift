import Foundation
import TestSupport
import XCTest
@testable import PoseData

/// The PyTorch twin's reader (`python/hybridsign_torch/shards.py`) against this one: the same
/// samples from shards written here, and the same batch order as ``PoseBatcher``.
final class ShardTwinReaderTests: XCTestCase {
    func testTwinReadsTheSamplesSwiftReads() throws {
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("dev")
        let pickle = try PoseIO.load(contentsOf: ShardedDatasetTests.devPickle)
        var samples = Array(pickle.samples.prefix(9))
        samples[2].textFeatures = try TextFeatures(rows: 3, width: 5, values: (0..<15).map { Float($0) * 0.37 - 1 })
        samples[4].name = nil
        samples[5].text = "Grüße \u{1B} 手話"
        let dataset = try PoseDataset(layout: pickle.layout, samples: samples)
        try PoseIO.saveShards(dataset, to: directory, samplesPerShard: 4)
        let script = """
            import json, sys, zlib
            from hybridsign_torch.shards import ShardDataset
            d = ShardDataset(sys.argv[1])
            rows = []
            for i in range(len(d)):
                s = d[i]
                f = s.text_features
                rows.append({"name": s.name, "text": s.text, "gloss": s.gloss, "signer": s.signer, "fps": s.fps,
                             "shape": list(s.frames.shape), "crc": zlib.crc32(s.frames.numpy().astype("<f4").tobytes()),
                             "features": None if f is None else [list(f.shape), zlib.crc32(f.numpy().astype("<f4").tobytes())],
                             "frames": int(d.frame_counts[i])})
            print(json.dumps({"layout": d.layout.name, "joints": d.layout.joint_count, "parts": [p for p, _ in d.layout.parts],
                              "samples": rows}))
            """
        let output = try PythonReference.run(script, arguments: [directory.path])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        XCTAssertEqual(json["layout"] as? String, "openpose137")
        XCTAssertEqual(json["joints"] as? Int, 137)
        XCTAssertEqual(json["parts"] as? [String], dataset.layout.parts.map(\.name))
        let rows = try XCTUnwrap(json["samples"] as? [[String: Any]])
        XCTAssertEqual(rows.count, dataset.count)
        for (row, sample) in zip(rows, dataset.samples) {
            XCTAssertEqual(row["name"] as? String, sample.name)
            XCTAssertEqual(row["text"] as? String, sample.text)
            XCTAssertEqual(row["gloss"] as? String, sample.gloss)
            XCTAssertEqual(row["signer"] as? String, sample.signer)
            XCTAssertEqual(row["fps"] as? Double, sample.fps)
            XCTAssertEqual(row["shape"] as? [Int], [sample.frameCount, 137, 3])
            XCTAssertEqual(row["frames"] as? Int, sample.frameCount)
            XCTAssertEqual((row["crc"] as? NSNumber)?.uint32Value, Self.crc(sample.values))
            if let features = sample.textFeatures {
                let twin = try XCTUnwrap(row["features"] as? [Any])
                XCTAssertEqual(twin[0] as? [Int], [features.rows, features.width])
                XCTAssertEqual((twin[1] as? NSNumber)?.uint32Value, Self.crc(features.values))
            } else {
                XCTAssertTrue(row["features"] is NSNull)
            }
        }
    }

    func testTwinBatchOrderIsPoseBatchers() throws {
        let lengths = [5, 9, 2, 7, 7, 3, 11, 4, 8, 6, 2, 10, 5, 5, 9, 1, 12, 3, 4, 6, 7, 8, 2, 9, 10, 3]
        let layout = TestData.tinyLayout
        let dataset = try PoseDataset(layout: layout, samples: lengths.map { try TestData.sequence(frames: $0) })
        var expected: [String] = []
        var cases: [String] = []
        for (batch, seed, epoch, bucket, pool, dropLast) in [(4, UInt64(0), 0, true, 50, false), (3, 7, 2, true, 2, false),
                                                            (5, 123_456_789_012, 5, false, 50, true), (4, 1 << 63, 1, true, 1, true)] {
            let batcher = try PoseBatcher(dataset: dataset, batchSize: batch, seed: seed, bucketByLength: bucket,
                                          poolBatches: pool, dropLast: dropLast)
            expected.append("\(batcher.batchIndices(epoch: epoch))")
            cases.append("(\(batch), \(seed), \(epoch), \(bucket ? "True" : "False"), \(pool), \(dropLast ? "True" : "False"))")
        }
        let script = """
            from hybridsign_torch.shards import batch_indices
            lengths = \(lengths)
            for batch, seed, epoch, bucket, pool, drop in [\(cases.joined(separator: ", "))]:
                print(batch_indices(lengths, batch, seed, epoch, bucket_by_length=bucket, pool_batches=pool, drop_last=drop))
            """
        let lines = String(decoding: try PythonReference.run(script), as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, expected)
    }

    static func crc(_ values: [Float]) -> UInt32 {
        ShardWriter.checksum(values.withUnsafeBytes { Array($0) })
    }
}
