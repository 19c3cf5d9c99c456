import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// A batch split into shards (groups of sequences run on their own cores) has the loss and the
/// gradients of the whole batch: the draws and the normalisers are the batch's.
final class ShardTests: XCTestCase {
    /// The losses and the gradients of one step on the four synthetic sequences (6–9 frames, so
    /// shards pad differently from the batch), the model perturbed so no term is trivially zero.
    func step(_ mode: ModelMode, tokens: TokenKind = .part, shards: Int) throws -> (LossBreakdown, [String: [Float]]) {
        var config = tinyConfig(mode, tokens: tokens)
        config.flowFraction = 0.6
        config.historyNoise = 0.05
        let model = try HybridSignModel(config: config, fitting: syntheticDataset(), seed: 1)
        perturb(model)
        let batch = try TrainingData(syntheticDataset(), model: model, batchSize: 4, seed: 0).batch(step: 0)
        XCTAssertEqual(Set(batch.lengths).count, 4, "sequences of different lengths")
        var rng = RandomGenerator(seed: 3)
        let graph = Graph()
        let (loss, parts) = Objective.loss(model: model, batch: batch, rng: &rng, graph: graph, shards: shards)
        XCTAssertEqual(loss.value.scalar, parts.total, accuracy: 1e-6 * max(1, abs(parts.total)))
        try graph.backward(loss)
        var grads: [String: [Float]] = [:]
        for (name, p) in model.network.namedParameters() { grads[name] = p.grad?.scalars ?? [] }
        return (parts, grads)
    }

    func checkShardsMatchWholeBatch(_ mode: ModelMode, tokens: TokenKind = .part) throws {
        let (whole, wholeGrads) = try step(mode, tokens: tokens, shards: 1)
        for shards in [2, 3, 4] {
            let (split, splitGrads) = try step(mode, tokens: tokens, shards: shards)
            let label = "\(mode), \(shards) shards"
            assertClose([split.total, split.flow, split.flowError, split.ar, split.confidence, split.progress],
                        [whole.total, whole.flow, whole.flowError, whole.ar, whole.confidence, whole.progress],
                        tolerance: 1e-5, "\(label): losses")
            XCTAssertEqual(Set(splitGrads.keys), Set(wholeGrads.keys))
            for (name, g) in wholeGrads { assertClose(splitGrads[name]!, g, tolerance: 1e-4, "\(label): gradient of \(name)") }
        }
        XCTAssertGreaterThan(whole.ar + whole.flowError, 0)
    }

    func testHybridShardsMatchWholeBatch() throws { try checkShardsMatchWholeBatch(.hybrid) }
    func testHybridJointTokenShardsMatchWholeBatch() throws { try checkShardsMatchWholeBatch(.hybrid, tokens: .joint) }
    func testARShardsMatchWholeBatch() throws { try checkShardsMatchWholeBatch(.ar) }
    func testDiffusionShardsMatchWholeBatch() throws { try checkShardsMatchWholeBatch(.diffusion) }

    func testShardRangesCoverTheBatchInOrder() {
        XCTAssertEqual(StepDraws.shardRanges(batchSize: 4, shards: 2), [0..<2, 2..<4])
        XCTAssertEqual(StepDraws.shardRanges(batchSize: 5, shards: 2), [0..<2, 2..<5])
        XCTAssertEqual(StepDraws.shardRanges(batchSize: 1, shards: 2), [0..<1])
        XCTAssertEqual(StepDraws.shardRanges(batchSize: 3, shards: 8), [0..<1, 1..<2, 2..<3])
    }
}
