import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// Training reads a sharded dataset batch by batch and learns exactly what it learns from the
/// same samples in memory.
final class ShardedTrainingTests: XCTestCase {
    static let devPickle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/words/dev.pkl")

    func testTrainingFromShardsEqualsTrainingFromThePickle() throws {
        let pickle = try PoseIO.load(contentsOf: Self.devPickle).subset(Array(0..<10))
        let directory = temporaryURL("sharded-training-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try PoseIO.saveShards(pickle, to: directory, samplesPerShard: 3)
        let shards = try PoseIO.load(contentsOf: directory)
        XCTAssertTrue(shards.isMapped)
        var config = tinyConfig()
        config.maxFrames = 16
        let options = shortRunOptions(steps: 4, batchSize: 3, seed: 5)
        let inMemory = try Trainer(config: config, dataset: pickle, options: options)
        let mapped = try Trainer(config: config, dataset: shards, options: options)
        XCTAssertEqual(mapped.model.normalizer, inMemory.model.normalizer)
        XCTAssertEqual(mapped.model.jointConfidence, inMemory.model.jointConfidence)
        XCTAssertEqual(mapped.model.vocabulary?.size, inMemory.model.vocabulary?.size)
        for step in 0..<options.steps {
            let a = try inMemory.trainStep(), b = try mapped.trainStep()
            XCTAssertEqual(a.frames, b.frames, "step \(step)")
            XCTAssertEqual(a.loss.total, b.loss.total, "step \(step)")
        }
        for (x, y) in zip(inMemory.model.network.namedParameters(), mapped.model.network.namedParameters()) {
            XCTAssertEqual(x.parameter.value.scalars, y.parameter.value.scalars, x.name)
        }
    }

    func testSentenceFeaturesAreCheckedFromTheShardHeaders() throws {
        var samples = Array(syntheticDataset().samples)
        for index in samples.indices where index != 2 {
            samples[index].textFeatures = try TextFeatures(rows: 2, width: 4, values: (0..<8).map { Float($0 + index) })
        }
        let directory = temporaryURL("sharded-sentence-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try PoseIO.saveShards(try PoseDataset(layout: tinyLayout, samples: samples), to: directory, samplesPerShard: 2)
        var config = tinyConfig()
        config.text = .sentence
        config.sentenceWidth = 4
        let shards = try PoseIO.load(contentsOf: directory)
        XCTAssertThrowsError(try Trainer(config: config, dataset: shards, options: TrainingOptions())) { error in
            XCTAssertTrue("\(error)".contains("sample 2 has no sentence features of width 4"), "\(error)")
        }
        let trainer = try Trainer(config: config, dataset: try shards.subset([0, 1, 3]), options: TrainingOptions())
        XCTAssertTrue(try trainer.trainStep().loss.total.isFinite)
    }
}
