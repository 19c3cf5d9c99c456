import Foundation
import XCTest
@testable import PoseData

/// Selection, splitting, resampling, cropping, statistics, normalisation, batching, layout conversion.
final class DatasetOperationsTests: XCTestCase {
    private func pythonDataset() throws -> PoseDataset {
        try PoseDataset(jsonContentsOf: TestData.fixture("normalization-dataset.json"))
    }

    private func expected() throws -> [String: Any] {
        try TestData.json("normalization.expected.json") as! [String: Any]
    }

    // MARK: Selection

    func testFilterAndIndex() throws {
        let dataset = try pythonDataset()
        XCTAssertEqual(dataset.filter(text: "a").samples.map(\.name), ["s0", "s2"])
        XCTAssertEqual(dataset.filter(signer: "y").samples.map(\.name), ["s1", "s3"])
        XCTAssertEqual(dataset.filter(name: "s3").count, 1)
        XCTAssertEqual(dataset.filter { $0.frameCount > 5 }.samples.map(\.name), ["s1", "s3"])
        XCTAssertEqual(dataset.index(matching: "s2"), 2)
        XCTAssertEqual(try dataset.subset([3, 0]).samples.map(\.name), ["s3", "s0"])
        XCTAssertThrowsError(try dataset.subset([4]))
    }

    /// One rule picks a sample by key: its name first, then its text, then its text ignoring case.
    func testIndexMatchingPrefersNameThenTextThenTextIgnoringCase() throws {
        let samples = try [("uhr", "Ohr"), ("b", "Uhr"), ("c", "uhr"), ("d", "Baum")].map { name, text in
            var sample = try TestData.sequence(frames: 2, name: name)
            sample.text = text
            return sample
        }
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: samples)
        XCTAssertEqual(dataset.index(matching: "uhr"), 0, "a name beats a text")
        XCTAssertEqual(dataset.index(matching: "Uhr"), 1, "an exact text beats a text that differs in case")
        XCTAssertEqual(dataset.index(matching: "BAUM"), 3, "text ignoring case")
        XCTAssertNil(dataset.index(matching: "Haus"))
    }

    func testSplitIsSeededCompleteAndSized() throws {
        let samples = try (0..<37).map { try TestData.sequence(frames: 1 + $0 % 4, name: "n\($0)") }
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: samples)
        let parts = try dataset.split(fractions: [0.7, 0.2, 0.1], seed: 3)
        XCTAssertEqual(parts.map(\.count), [26, 7, 4])
        let names = parts.flatMap { $0.samples.compactMap(\.name) }
        XCTAssertEqual(Set(names).count, 37)
        XCTAssertEqual(try dataset.split(fractions: [0.7, 0.2, 0.1], seed: 3), parts)
        XCTAssertNotEqual(try dataset.split(fractions: [0.7, 0.2, 0.1], seed: 4)[0].samples.map(\.name), parts[0].samples.map(\.name))
        XCTAssertThrowsError(try dataset.split(fractions: [0.5, 0.2], seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("sum to 1"), "\(error)")
        }
        XCTAssertThrowsError(try dataset.split(fractions: [1.2, -0.2], seed: 1))
    }

    // MARK: Resampling

    func testResamplingInterpolatesPresentJointsAndFollowsTheMissingRule() throws {
        // 3 frames at 10 fps; joint 1 is missing in frame 1, joint 3 in frames 0 and 1.
        let sequence = try TestData.sequence(frames: 3, fps: 10, missing: { t, j in (t == 1 && j == 1) || (t < 2 && j == 3) })
        let resampled = try sequence.resampled(toFPS: 20)
        XCTAssertEqual(resampled.frameCount, 5)  // times 0, 0.05, ..., 0.2
        XCTAssertEqual(resampled.fps, 20)
        // Output frame 1 sits halfway between input frames 0 and 1.
        let a = sequence.point(frame: 0, joint: 0), b = sequence.point(frame: 1, joint: 0)
        let mid = resampled.point(frame: 1, joint: 0)
        XCTAssertEqual(mid.x, (a.x + b.x) / 2)
        XCTAssertEqual(mid.y, (a.y + b.y) / 2)
        XCTAssertEqual(mid.confidence, (a.confidence + b.confidence) / 2, accuracy: 1e-6)
        // Present in one neighbour only: its position, confidence 0.
        let half = resampled.point(frame: 1, joint: 1)
        XCTAssertEqual(half.x, sequence.point(frame: 0, joint: 1).x)
        XCTAssertEqual(half.y, sequence.point(frame: 0, joint: 1).y)
        XCTAssertEqual(half.confidence, 0)
        let later = resampled.point(frame: 3, joint: 1)
        XCTAssertEqual(later.x, sequence.point(frame: 2, joint: 1).x)
        XCTAssertEqual(later.confidence, 0)
        // Missing in both: zeros.
        let none = resampled.point(frame: 1, joint: 3)
        XCTAssertEqual([none.x, none.y, none.confidence], [0, 0, 0])
        // On an input frame: that frame exactly.
        for (out, input) in [(0, 0), (2, 1), (4, 2)] {
            for joint in 0..<4 {
                XCTAssertTrue(resampled.point(frame: out, joint: joint) == sequence.point(frame: input, joint: joint))
            }
        }
    }

    func testResamplingDownAndFrameCounts() throws {
        let sequence = try TestData.sequence(frames: 31, fps: 30)  // 1 s
        let down = try sequence.resampled(toFPS: 12.5)
        XCTAssertEqual(down.frameCount, 13)  // times 0, 0.08, ..., 0.96
        // Output frame 1 at 0.08 s = input position 2.4.
        let p = down.point(frame: 1, joint: 2)
        let a = sequence.point(frame: 2, joint: 2), b = sequence.point(frame: 3, joint: 2)
        XCTAssertEqual(p.x, 0.6 * a.x + 0.4 * b.x, accuracy: 1e-4)
        XCTAssertEqual(try sequence.resampled(toFPS: 30), sequence)
        XCTAssertEqual(try TestData.sequence(frames: 0).resampled(toFPS: 50).frameCount, 0)
        XCTAssertEqual(try TestData.sequence(frames: 1).resampled(toFPS: 50).frameCount, 1)
        XCTAssertThrowsError(try sequence.resampled(toFPS: 0))
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: [sequence, sequence])
        XCTAssertEqual(try dataset.resampled(toFPS: 12.5).samples.map(\.frameCount), [13, 13])
    }

    // MARK: Cropping

    func testCropAndTrim() throws {
        let sequence = try TestData.sequence(frames: 6, missing: { t, _ in t == 0 || t == 3 || t == 5 })
        let cropped = try sequence.cropped(to: 1..<3)
        XCTAssertEqual(cropped.frameCount, 2)
        XCTAssertTrue(cropped.point(frame: 0, joint: 1) == sequence.point(frame: 1, joint: 1))
        XCTAssertThrowsError(try sequence.cropped(to: 4..<7))
        let trimmed = sequence.trimmed()
        XCTAssertEqual(trimmed.frameCount, 4)  // frames 1...4; the empty frame 3 inside stays
        XCTAssertTrue(trimmed.point(frame: 0, joint: 0) == sequence.point(frame: 1, joint: 0))
        XCTAssertEqual(try TestData.sequence(frames: 3, missing: { _, _ in true }).trimmed().frameCount, 0)
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: [sequence])
        XCTAssertEqual(try dataset.cropped(toAtMost: 2)[0].frameCount, 2)
    }

    // MARK: Statistics

    func testStatisticsMatchNumpy() throws {
        let statistics = try pythonDataset().statistics()
        let want = try expected()
        XCTAssertEqual(statistics.sampleCount, 4)
        XCTAssertEqual(statistics.minFrames, want["minFrames"] as? Int)
        XCTAssertEqual(statistics.maxFrames, want["maxFrames"] as? Int)
        XCTAssertEqual(statistics.meanFrames, want["meanFrames"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(statistics.totalDuration, want["totalDuration"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(statistics.missingFraction, want["missingFraction"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(statistics.frameRates, [12.5, 25, 30])
        let parts = want["parts"] as! [[String: Any]]
        XCTAssertEqual(statistics.parts.map(\.name), parts.map { $0["name"] as! String })
        for (part, expected) in zip(statistics.parts, parts) {
            XCTAssertEqual(part.missingFraction, expected["missingFraction"] as! Double, accuracy: 1e-12)
            XCTAssertEqual(part.meanConfidence, expected["meanConfidence"] as! Double, accuracy: 1e-6)
        }
        XCTAssertTrue(statistics.summary.contains("4 samples, 24 frames"), statistics.summary)
        let empty = try PoseDataset(layout: TestData.tinyLayout, samples: []).statistics()
        XCTAssertEqual(empty.totalFrames, 0)
        XCTAssertEqual(empty.parts.map(\.missingFraction), [0, 0])
    }

    // MARK: Normalisation

    func testNormalizerMatchesNumpyWeightedStatistics() throws {
        let dataset = try pythonDataset()
        let normalizer = try Normalizer(fitting: dataset)
        let want = try expected()
        XCTAssertEqual(Double(normalizer.meanX), want["meanX"] as! Double, accuracy: 1e-4)
        XCTAssertEqual(Double(normalizer.meanY), want["meanY"] as! Double, accuracy: 1e-4)
        XCTAssertEqual(Double(normalizer.stdX), want["stdX"] as! Double, accuracy: 1e-4)
        XCTAssertEqual(Double(normalizer.stdY), want["stdY"] as! Double, accuracy: 1e-4)
    }

    func testNormalizeThenDenormalizeRestoresPresentJoints() throws {
        let dataset = try pythonDataset()
        let normalizer = try Normalizer(fitting: dataset)
        let normalized = normalizer.normalize(dataset)
        // The normalised data has weighted mean 0 and std 1.
        let again = try Normalizer(fitting: normalized)
        XCTAssertEqual(again.meanX, 0, accuracy: 1e-5)
        XCTAssertEqual(again.stdY, 1, accuracy: 1e-5)
        let restored = normalizer.denormalize(normalized)
        for (sample, original) in zip(restored.samples, dataset.samples) {
            for i in stride(from: 0, to: sample.values.count, by: 3) {
                XCTAssertEqual(sample.values[i + 2], original.values[i + 2])
                if original.values[i + 2] > 0 {
                    XCTAssertEqual(sample.values[i], original.values[i], accuracy: 1e-3)
                    XCTAssertEqual(sample.values[i + 1], original.values[i + 1], accuracy: 1e-3)
                } else {
                    XCTAssertEqual([sample.values[i], sample.values[i + 1]], [0, 0])
                }
            }
        }
    }

    func testNormalizerStorage() throws {
        let normalizer = Normalizer(meanX: 1.5, meanY: -2, stdX: 3, stdY: 0.25)
        XCTAssertEqual(try Normalizer(dictionary: normalizer.dictionary), normalizer)
        let coded = try JSONDecoder().decode(Normalizer.self, from: JSONEncoder().encode(normalizer))
        XCTAssertEqual(coded, normalizer)
        XCTAssertThrowsError(try Normalizer(dictionary: ["normalizer.mean_x": 1]))
        var broken = normalizer.dictionary
        broken["normalizer.std_x"] = 0
        XCTAssertThrowsError(try Normalizer(dictionary: broken))
    }

    func testNormalizerNeedsPresentJointsAndKeepsConstantChannels() throws {
        let empty = try TestData.sequence(frames: 2, missing: { _, _ in true })
        XCTAssertThrowsError(try Normalizer(fitting: [empty]))
        let constant = try PoseSequence(layout: TestData.tinyLayout, fps: 25, values: [Float](repeating: 1, count: 12))
        let normalizer = try Normalizer(fitting: [constant])
        XCTAssertEqual([normalizer.stdX, normalizer.stdY], [1, 1])
    }

    // MARK: Batching

    func testBatchPadsAndMasks() throws {
        let short = try TestData.sequence(frames: 2)
        let long = try TestData.sequence(frames: 4)
        let batch = try PoseBatch(samples: [short, long], indices: [5, 9])
        XCTAssertEqual(batch.batchSize, 2)
        XCTAssertEqual(batch.maxFrames, 4)
        XCTAssertEqual(batch.lengths, [2, 4])
        XCTAssertEqual(batch.indices, [5, 9])
        XCTAssertEqual(batch.values.count, 2 * 4 * 4 * 3)
        XCTAssertEqual(batch.frameMask, [1, 1, 0, 0, 1, 1, 1, 1])
        XCTAssertEqual(Array(batch.values[0..<24]), short.values)
        XCTAssertEqual(Array(batch.values[24..<48]), [Float](repeating: 0, count: 24))
        XCTAssertEqual(Array(batch.values[48...]), long.values)
        XCTAssertEqual(try batch.sample(0, layout: TestData.tinyLayout, fps: 25), short)
        XCTAssertThrowsError(try PoseBatch(samples: []))
        XCTAssertThrowsError(try PoseBatch(samples: [short, try PoseFile(contentsOf: TestData.fixture("openpose-posefmt.pose")).sequence()]))
    }

    func testBatcherIsSeededCoversEveryoneAndBucketsByLength() throws {
        let samples = try (0..<40).map { try TestData.sequence(frames: 1 + ($0 * 7) % 23, name: "n\($0)") }
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: samples)
        let batcher = try PoseBatcher(dataset: dataset, batchSize: 8, seed: 5, poolBatches: 5)
        let epoch0 = batcher.batchIndices(epoch: 0)
        XCTAssertEqual(epoch0.flatMap { $0 }.sorted(), Array(0..<40))
        XCTAssertEqual(batcher.batchIndices(epoch: 0), epoch0)
        XCTAssertNotEqual(batcher.batchIndices(epoch: 1), epoch0)
        // One pool of 40: batches are consecutive runs of the length-sorted order.
        let spans = epoch0.map { batch in batch.map { samples[$0].frameCount } }
        let sortedLengths = samples.map(\.frameCount).sorted()
        XCTAssertEqual(spans.map { $0.max()! - $0.min()! }.reduce(0, +) <= sortedLengths.last! - sortedLengths.first!, true)
        let batches = try batcher.batches(epoch: 0)
        for (batch, indices) in zip(batches, epoch0) {
            XCTAssertEqual(batch.indices, indices)
            XCTAssertEqual(batch.maxFrames, indices.map { samples[$0].frameCount }.max())
            XCTAssertEqual(batch.frameMask.reduce(0, +), Float(batch.lengths.reduce(0, +)))
        }
        let unbucketed = try PoseBatcher(dataset: dataset, batchSize: 6, seed: 5, bucketByLength: false, dropLast: true)
        XCTAssertEqual(unbucketed.batchIndices(epoch: 0).count, 6)
        let capped = try PoseBatcher(dataset: dataset, batchSize: 40, seed: 1, maximumFrames: 10)
        XCTAssertEqual(try capped.batches(epoch: 0)[0].maxFrames, 10)
        XCTAssertThrowsError(try PoseBatcher(dataset: dataset, batchSize: 0, seed: 1))
    }

    // MARK: Layout conversion

    func testConversionByNameAndByCount() throws {
        let sequence = try TestData.sequence(frames: 2)
        let reordered = Layout(name: "reordered", joints: ["d", "a"], parts: [.init(name: "all", joints: [0, 1])], bones: [])
        let picked = try sequence.converted(to: reordered)
        XCTAssertTrue(picked.point(frame: 1, joint: 0) == sequence.point(frame: 1, joint: 3))
        XCTAssertTrue(picked.point(frame: 1, joint: 1) == sequence.point(frame: 1, joint: 0))
        let renamed = Layout(name: "renamed", joints: ["w", "x", "y", "z"], parts: [.init(name: "all", joints: [0, 1, 2, 3])], bones: [])
        XCTAssertEqual(try sequence.converted(to: renamed).values, sequence.values)
        XCTAssertThrowsError(try sequence.converted(to: .openPose137)) { error in
            XCTAssertTrue("\(error)".contains("has no counterpart"), "\(error)")
        }
    }
}
