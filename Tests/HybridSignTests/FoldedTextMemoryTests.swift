import Tensors
import XCTest
@testable import HybridSign

/// Inference folds an expert block's cross-attention projections into the text's keys and values:
/// the block's output is the unfolded one to float rounding (padded texts, several heads, biases),
/// sampling graphs fold and training graphs do not, and a text too long to gain is left unfolded.
final class FoldedTextMemoryTests: XCTestCase {
    private func block(dim: Int = 16, heads: Int = 4) -> ExpertBlock {
        var rng = RandomGenerator(seed: 3)
        let block = ExpertBlock(dim: dim, heads: heads, mlp: 24, spatial: true, rng: &rng)
        // Non-zero everywhere, gates and query/output biases included, so every term counts.
        for p in block.parameters { p.assign(p.value + rng.normal(p.value.shape, std: 0.3)) }
        return block
    }

    func testTheFoldedBlockEqualsTheUnfoldedOne() throws {
        let block = block()
        let graph = Graph(recording: false)
        var rng = RandomGenerator(seed: 4)
        let (b, l, t, n, d) = (2, 5, 2, 3, 16)
        let states = graph.constant(rng.normal([b, l, d]))
        let mask = AttentionMask.keyPadding(lengths: [5, 2], keys: l)
        let memory = block.textMemory(states: states, mask: mask)
        var folded = memory
        folded.folded = try XCTUnwrap(FoldedTextMemory(block: block, memory: memory))
        let x = graph.constant(rng.normal([b, t, n, d]))
        let mods = block.modulations(graph.constant(rng.normal([1, 1, d])))
        let plain = block(x, mods: mods, memory: nil, ownBias: nil, temporalMask: nil, text: memory).0.value
        let fast = block(x, mods: mods, memory: nil, ownBias: nil, temporalMask: nil, text: folded).0.value
        XCTAssertEqual(fast.shape, plain.shape)
        let largest = plain.scalars.map(abs).max() ?? 0
        for (u, v) in zip(fast.scalars, plain.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5 * max(1, largest)) }
    }

    func testSamplingGraphsFoldAndTrainingGraphsDoNot() throws {
        let model = try HybridSignModel(config: tinyConfig(tokens: .joint), fitting: syntheticDataset(), seed: 1)
        let block = try XCTUnwrap(model.network.stacks.first?.first)
        for recording in [false, true] {
            let graph = Graph(recording: recording)
            let text = model.network.encodeText(ids: [try model.textIDs("abc")], graph: graph)
            XCTAssertEqual(text.memory(for: block).folded != nil, !recording, "recording: \(recording)")
        }
    }

    /// (H − 1)·L ≥ D: the folded form would cost more than the projections it saves.
    func testALongTextIsNotFolded() throws {
        let block = block(dim: 16, heads: 4)
        let graph = Graph(recording: false)
        var rng = RandomGenerator(seed: 5)
        for (length, folds) in [(5, true), (6, false)] {
            let memory = block.textMemory(states: graph.constant(rng.normal([1, length, 16])), mask: nil)
            XCTAssertEqual(FoldedTextMemory(block: block, memory: memory) != nil, folds, "L = \(length)")
        }
    }
}
