import Foundation
import PoseData
import Tensors
import TextEncoders
import XCTest
@testable import HybridSign

/// Batched sampling: B sequences in one pass with one KV cache, each ending on its own, equal to
/// one-at-a-time sampling with the same seeds (texts, lengths, signers, sentence features, a
/// text encoder), and the finished sequences kept when stopped.
final class BatchedSamplingTests: XCTestCase {
    /// Each batched sequence against the same text, seed and signer sampled alone: the same length
    /// and the same values to float rounding. Returns the lengths.
    @discardableResult
    private func assertBatchedEqualsSequential(_ model: HybridSignModel, _ items: [BatchItem], options: SamplingOptions, batchSize: Int,
                                               file: StaticString = #filePath, line: UInt = #line) throws -> [Int] {
        let sampler = Sampler(model: model)
        var finishedOrder: [Int] = []
        var frames = [Int](repeating: 0, count: items.count)
        let batched = try sampler.sample(items, options: options, batchSize: batchSize, onFinished: { k, _ in finishedOrder.append(k) },
                                         onFrame: { k, frame in
                                             XCTAssertEqual(frame.index, frames[k], "frames of sequence \(k) in order", file: file, line: line)
                                             frames[k] += 1
                                         })
        XCTAssertEqual(finishedOrder.sorted(), Array(items.indices), "every sequence finished once", file: file, line: line)
        var lengths: [Int] = []
        for (k, item) in items.enumerated() {
            var one = options
            one.seed = item.seed
            one.signer = item.signer
            let alone = try item.features.map { try sampler.sample(features: $0, text: item.text, options: one) }
                ?? sampler.sample(text: item.text, options: one)
            let together = try XCTUnwrap(batched[k], file: file, line: line)
            XCTAssertEqual(together.frameCount, alone.frameCount, "sequence \(k) (\(item.text)) length", file: file, line: line)
            XCTAssertEqual(frames[k], alone.frameCount, "frames reported for sequence \(k)", file: file, line: line)
            XCTAssertEqual(together.text, item.text, file: file, line: line)
            assertClose(together.values, alone.values, tolerance: 1e-4, "sequence \(k) (\(item.text))", file: file, line: line)
            lengths.append(alone.frameCount)
        }
        return lengths
    }

    private func hybrid(_ config: ModelConfig = tinyConfig()) throws -> HybridSignModel {
        let model = try HybridSignModel(config: config, fitting: syntheticDataset(), seed: 1)
        perturb(model)
        return model
    }

    /// Texts of different lengths, noise (τ > 0, two flow steps), automatic lengths: the batch of
    /// 5 and batches of 2 (three chunks) both equal one-at-a-time. With a progress head that never
    /// ends, each sequence ends at its own limit (twice the length model's estimate for its text),
    /// so the batch shrinks (cache rows dropped, texts re-encoded) while others go on; with one
    /// that ends at once, every sequence ends by progress.
    func testBatchedEqualsSequentialWithTextsOfDifferentLengths() throws {
        let model = try hybrid()
        let head = try XCTUnwrap(model.network.namedParameters().first { $0.name.hasSuffix("progress_head.bias") }?.parameter)
        let items = ["ab", "cab", "a", "bacab", "ba"].enumerated().map { BatchItem(text: $1, seed: UInt64(10 + $0)) }
        let options = SamplingOptions(steps: 2, frames: .auto, temperature: 0.7)
        try assertBatchedEqualsSequential(model, items, options: options, batchSize: 5)
        let original = head.value
        head.assign(original - 50)
        let lengths = try assertBatchedEqualsSequential(model, items, options: options, batchSize: 5)
        XCTAssertGreaterThan(Set(lengths).count, 2, "the sequences must end at different frames: \(lengths)")
        try assertBatchedEqualsSequential(model, items, options: options, batchSize: 2)
        head.assign(original + 50)
        XCTAssertEqual(try assertBatchedEqualsSequential(model, items, options: options, batchSize: 5), [2, 2, 2, 2, 2])
        try assertBatchedEqualsSequential(model, items, options: SamplingOptions(steps: 1, frames: .fixed(7), temperature: 1), batchSize: 3)
    }

    /// The same text with different seeds gives different sequences (each its own noise), each
    /// equal to its one-at-a-time sample; joint tokens and concurrent parts as the `paper` preset.
    func testEachSequenceHasItsOwnNoise() throws {
        let model = try hybrid(tinyConfig(tokens: .joint))
        model.network.concurrentPartWork = 0
        let items = (0..<3).map { BatchItem(text: "abc", seed: UInt64($0)) }
        let options = SamplingOptions(steps: 1, frames: .fixed(5), temperature: 1)
        try assertBatchedEqualsSequential(model, items, options: options, batchSize: 3)
        let batched = try Sampler(model: model).sample(items, options: options, batchSize: 3).map { try XCTUnwrap($0).values }
        XCTAssertNotEqual(batched[0], batched[1])
    }

    func testARModelsBatchAndDiffusionModelsSampleInTurn() throws {
        let ar = try hybrid(tinyConfig(.ar))
        let items = ["ab", "cab", "b"].enumerated().map { BatchItem(text: $1, seed: UInt64($0)) }
        try assertBatchedEqualsSequential(ar, items, options: SamplingOptions(frames: .auto), batchSize: 3)
        let diffusion = try hybrid(tinyConfig(.diffusion))
        try assertBatchedEqualsSequential(diffusion, items, options: SamplingOptions(steps: 2, frames: .auto), batchSize: 2)
    }

    /// Signer conditioning: each sequence's own signer (or none) in one batch.
    func testEachSequenceHasItsOwnSigner() throws {
        var config = tinyConfig()
        config.signerConditioning = true
        let rows: [(String, Int, String)] = [("ab", 6, "gsg"), ("ab", 7, "ase"), ("ba", 8, "gsg"), ("cab", 9, "bzs")]
        let data = try PoseDataset(layout: tinyLayout, samples: rows.map { text, frames, signer in
            var sample = syntheticSequence(text: text, frames: frames)
            sample.signer = signer
            return sample
        })
        let model = try HybridSignModel(config: config, fitting: data, seed: 1)
        perturb(model)
        let items = [BatchItem(text: "ab", seed: 1, signer: "ase"), BatchItem(text: "ab", seed: 1, signer: "gsg"),
                     BatchItem(text: "cab", seed: 2, signer: nil), BatchItem(text: "ba", seed: 3, signer: "bzs")]
        try assertBatchedEqualsSequential(model, items, options: SamplingOptions(steps: 1, frames: .auto, temperature: 0.5), batchSize: 4)
        let batched = try Sampler(model: model).sample(items, options: SamplingOptions(frames: .fixed(3)), batchSize: 4)
        XCTAssertNotEqual(batched[0]?.values, batched[1]?.values, "the signer changes the sequence")
    }

    /// `text: sentence` models: sentence features of different row counts, padded in the batch.
    func testSentenceFeaturesOfDifferentLengths() throws {
        var config = tinyConfig()
        config.text = .sentence
        config.sentenceWidth = 5
        var rng = RandomGenerator(seed: 3)
        func features(_ rows: Int) -> TextFeatures { try! TextFeatures(rows: rows, width: 5, values: rng.normal([rows * 5]).scalars) }
        let data = try PoseDataset(layout: tinyLayout, samples: ["ab", "ba", "abc", "cab"].enumerated().map { k, text in
            var sample = syntheticSequence(text: text, frames: 6 + k)
            sample.textFeatures = features(2 + k)
            return sample
        })
        let model = try HybridSignModel(config: config, fitting: data, seed: 1)
        perturb(model)
        let items = [1, 4, 2].enumerated().map { k, rows in BatchItem(text: "s\(k)", features: features(rows), seed: UInt64(k)) }
        try assertBatchedEqualsSequential(model, items, options: SamplingOptions(steps: 1, frames: .fixed(6), temperature: 0.5), batchSize: 3)
    }

    /// A model reading a (tiny, random) pretrained T5 encoder: the texts are encoded apart and
    /// padded in the batch.
    func testATextEncoderModel() throws {
        let folder = temporaryURL("batched-t5-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var shape = RandomT5Folder.Shape()
        (shape.width, shape.layers, shape.heads, shape.headWidth, shape.feedForward) = (16, 1, 2, 8, 32)
        try RandomT5Folder.write(to: folder, shape: shape, seed: 4)
        let encoder = try PretrainedTextEncoder(folder: folder)
        var config = tinyConfig()
        config.text = .sentence
        config.sentenceWidth = encoder.width
        let model = try BenchmarkModels.randomModel(config: config, textEncoder: encoder)
        perturb(model)
        let items = ["the cold morning", "rain", "a new train station in the north"].enumerated().map { BatchItem(text: $1, seed: UInt64($0)) }
        try assertBatchedEqualsSequential(model, items, options: SamplingOptions(steps: 1, frames: .fixed(5), temperature: 0.5), batchSize: 3)
    }

    /// Stopped after the first sequence ends: that one is kept (equal to its sample alone), the
    /// unfinished are nil, and nothing runs after the stop.
    func testStoppingKeepsTheFinishedSequences() throws {
        let model = try hybrid()
        let head = try XCTUnwrap(model.network.namedParameters().first { $0.name.hasSuffix("progress_head.bias") }?.parameter)
        head.assign(head.value - 50)  // each ends at its own limit: "a" first
        let items = ["ab", "cab", "a", "bacab"].enumerated().map { BatchItem(text: $1, seed: UInt64($0)) }
        let options = SamplingOptions(steps: 1, frames: .auto, temperature: 0.5)
        var finished = 0, lastFrame = 0, stoppedAt: Int?
        let results = try Sampler(model: model).sample(items, options: options, batchSize: 4, onFinished: { _, _ in finished += 1 },
                                                       onFrame: { _, frame in
                                                           if finished > 0 && stoppedAt == nil { stoppedAt = frame.index }
                                                           lastFrame = frame.index
                                                       },
                                                       shouldStop: { finished > 0 })
        let kept = results.indices.filter { results[$0] != nil }
        XCTAssertFalse(kept.isEmpty)
        XCTAssertLessThan(kept.count, items.count, "the stop must come before every sequence ended")
        // The frame in which the first sequence ended is the last one made (for every sequence).
        XCTAssertEqual(stoppedAt ?? lastFrame, lastFrame, "no frame after the stop")
        for k in kept {
            var one = options
            one.seed = items[k].seed
            XCTAssertEqual(results[k]?.frameCount, try Sampler(model: model).sample(text: items[k].text, options: one).frameCount)
        }
    }

    /// Bad input: a batch size of 0 or over the ceiling, a text with an unknown character, an
    /// unknown signer — each refused before any frame is made.
    func testBadInputIsRefusedBeforeSampling() throws {
        let model = try hybrid()
        let sampler = Sampler(model: model)
        let items = [BatchItem(text: "ab", seed: 0)]
        for size in [0, -1, Sampler.maximumBatchSize + 1] {
            XCTAssertThrowsError(try sampler.sample(items, options: SamplingOptions(), batchSize: size)) { error in
                XCTAssertTrue("\(error)".contains("batch size must be between 1 and"), "\(error)")
            }
        }
        var frames = 0
        XCTAssertThrowsError(try sampler.sample(items + [BatchItem(text: "aQb", seed: 1)], options: SamplingOptions(frames: .fixed(3)),
                                                batchSize: 1, onFrame: { _, _ in frames += 1 })) { error in
            guard case HybridSignError.unsupportedText = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(frames, 0, "the bad second text is found before the first is sampled")
        XCTAssertThrowsError(try sampler.check(BatchItem(text: "ab", seed: 0, signer: "ase"))) { error in
            guard case HybridSignError.unknownSigner = error else { return XCTFail("\(error)") }
        }
    }

    /// The automatic batch size: ~512 token rows per core, at most 32, never more than the texts.
    func testAutomaticBatchSize() throws {
        let paper = try ModelConfig.preset("paper"), small = try ModelConfig.preset("small")
        XCTAssertEqual(paper.tokensPerFrame, 137)
        XCTAssertEqual(Sampler.automaticBatchSize(for: paper, texts: 100, cores: 2), 8)
        XCTAssertEqual(Sampler.automaticBatchSize(for: paper, texts: 100, cores: 4), 15)
        XCTAssertEqual(Sampler.automaticBatchSize(for: paper, texts: 3, cores: 4), 3)
        XCTAssertEqual(Sampler.automaticBatchSize(for: small, texts: 100, cores: 2), 32)
        XCTAssertEqual(Sampler.automaticBatchSize(for: small, texts: 1, cores: 2), 1)
        // paper: 137 tokens × 1 layer × 512 wide × 8 bytes = 561,152 bytes a sequence and frame.
        XCTAssertEqual(Sampler.fittingBatchSize(for: paper, frames: 1_000, memory: 8 << 30), 15)
        XCTAssertEqual(Sampler.fittingBatchSize(for: paper, frames: 100_000, memory: 8 << 30), 1)
    }

    /// A batch whose KV cache would not fit in half the machine's memory is refused when its size
    /// was given (before any frame), with the size that fits.
    func testABatchTooLargeForMemoryIsRefused() throws {
        var config = tinyConfig(tokens: .joint)
        config.dim = 64  // 6 tokens × 2 layers × 64 × 8 bytes × 100,000 frames: 614 MB a sequence
        let model = try hybrid(config)
        let fitting = Sampler.fittingBatchSize(for: model.config, frames: 100_000, memory: Sampler.cacheMemory)
        XCTAssertLessThan(fitting, Sampler.maximumBatchSize, "this test needs a machine with under ~300 GB of memory")
        var frames = 0
        let items = (0..<(fitting + 1)).map { BatchItem(text: "ab", seed: UInt64($0)) }
        XCTAssertThrowsError(try Sampler(model: model).sample(items, options: SamplingOptions(frames: .fixed(100_000)), batchSize: fitting + 1,
                                                              onFrame: { _, _ in frames += 1 }, shouldStop: { frames > 0 })) { error in
            XCTAssertTrue("\(error)".contains("give a batch size of at most \(fitting)"), "\(error)")
        }
        XCTAssertEqual(frames, 0)
    }
}
