import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// Signer conditioning: the embedding of the data's `signer` field, signer dropout, unknown
/// signers refused, the signers and sampling defaults kept in the checkpoint.
final class SignerConditioningTests: XCTestCase {
    /// "ab" twice (two signers), "ba", "cab": three signers in all.
    private func signedDataset() -> PoseDataset {
        let rows: [(String, Int, String)] = [("ab", 6, "gsg"), ("ab", 7, "ase"), ("ba", 8, "gsg"), ("cab", 9, "bzs")]
        return try! PoseDataset(layout: tinyLayout, samples: rows.map { text, frames, signer in
            var sample = syntheticSequence(text: text, frames: frames)
            sample.signer = signer
            sample.name = "\(signer)-\(text)"
            return sample
        })
    }

    private func signerConfig(dropout: Float = 0.5) -> ModelConfig {
        var config = tinyConfig()
        config.signerConditioning = true
        config.signerDropout = dropout
        return config
    }

    private func table(_ model: HybridSignModel) throws -> Parameter {
        try XCTUnwrap(model.network.namedParameters().first { $0.name == "signer_embedding" }?.parameter)
    }

    func testSignersAreLearnedFromTheDataAndTheEmbeddingIsDrawnLast() throws {
        let signed = try HybridSignModel(config: signerConfig(), fitting: signedDataset(), seed: 3)
        let plain = try HybridSignModel(config: tinyConfig(), fitting: signedDataset(), seed: 3)
        XCTAssertEqual(signed.signers, ["ase", "bzs", "gsg"])
        XCTAssertEqual(plain.signers, [])
        XCTAssertEqual(try table(signed).value.shape, [4, 16])
        let weights = Dictionary(uniqueKeysWithValues: signed.network.namedParameters().map { ($0.name, $0.parameter.value) })
        for (name, p) in plain.network.namedParameters() {
            XCTAssertEqual(weights[name], p.value, "\(name) starts differently with signer conditioning")
        }
        XCTAssertEqual(try signed.signerID(nil), 0)
        XCTAssertEqual(try signed.signerID("gsg"), 3)
    }

    func testAnUnknownSignerIsRefusedWithTheKnownOnes() throws {
        let model = try HybridSignModel(config: signerConfig(), fitting: signedDataset(), seed: 3)
        let sampler = Sampler(model: model)
        XCTAssertThrowsError(try sampler.sample(text: "ab", options: SamplingOptions(frames: .fixed(3), signer: "xyz"))) { error in
            XCTAssertEqual(error as? HybridSignError, .unknownSigner("unknown signer 'xyz'; this model knows: ase, bzs, gsg"))
        }
        let plain = try HybridSignModel(config: tinyConfig(), fitting: signedDataset(), seed: 3)
        XCTAssertThrowsError(try Sampler(model: plain).sample(text: "ab", options: SamplingOptions(frames: .fixed(3), signer: "gsg"))) { error in
            XCTAssertTrue("\(error)".contains("trained without signer conditioning"), "\(error)")
        }
        // A model needs signers to learn them.
        XCTAssertThrowsError(try HybridSignModel(config: signerConfig(), fitting: syntheticDataset(), seed: 3)) { error in
            XCTAssertTrue("\(error)".contains("no 'signer' field"), "\(error)")
        }
    }

    func testTheSignerChangesTheSampleAndNoneIsTheFreeEmbedding() throws {
        let model = try HybridSignModel(config: signerConfig(), fitting: signedDataset(), seed: 3)
        perturb(model, seed: 4, scale: 0.2)
        let sampler = Sampler(model: model)
        func values(_ signer: String?) throws -> [Float] {
            try sampler.sample(text: "ab", options: SamplingOptions(seed: 1, frames: .fixed(4), signer: signer)).values
        }
        let gsg = try values("gsg"), ase = try values("ase"), free = try values(nil)
        XCTAssertNotEqual(gsg, ase)
        XCTAssertNotEqual(gsg, free)
        XCTAssertEqual(free, try values(nil))
        // The free sample reads row 0: changing it changes the free sample and no signer's.
        let t = try table(model)
        var rows = t.value.scalars
        for k in 0..<16 { rows[k] += 1 }
        t.assign(Tensor(shape: t.value.shape, scalars: rows))
        XCTAssertNotEqual(try values(nil), free)
        XCTAssertEqual(try values("gsg"), gsg)
    }

    func testDropoutHidesSignersAsTheStepsLastDraws() throws {
        let model = try HybridSignModel(config: signerConfig(), fitting: signedDataset(), seed: 3)
        let batch = try TrainingData(signedDataset(), model: model, batchSize: 4, seed: 1).batch(step: 0)
        XCTAssertEqual(batch.signerIDs.sorted(), [1, 2, 3, 3])
        func draws(_ config: ModelConfig, seed: UInt64 = 5) -> StepDraws {
            var rng = RandomGenerator(seed: seed)
            return StepDraws(config, batch: batch, rng: &rng)
        }
        XCTAssertEqual(draws(signerConfig(dropout: 0)).batch.signerIDs, batch.signerIDs)
        XCTAssertEqual(draws(signerConfig(dropout: 1)).batch.signerIDs, [0, 0, 0, 0])
        XCTAssertEqual(draws(signerConfig(dropout: 1)).input.signerIDs, [0, 0, 0, 0])
        let plain = draws(tinyConfig()), hidden = draws(signerConfig(dropout: 1))
        for (a, b) in zip(plain.flow!, hidden.flow!) {
            XCTAssertEqual(a.jvp, b.jvp)
            XCTAssertEqual(a.noise, b.noise)
        }
        // At 0.5, over a few steps, some signers are hidden and some kept.
        let ids = (0..<6).flatMap { draws(signerConfig(), seed: $0).batch.signerIDs }
        XCTAssertTrue(ids.contains(0) && ids.contains { $0 > 0 }, "\(ids)")
    }

    /// One model serves both uses: a step with dropout trains the free embedding (row 0) and the
    /// given signers' rows; without dropout row 0 never learns, with dropout 1 only row 0 does.
    func testDropoutTrainsTheFreeAndTheSignedUse() throws {
        let model = try HybridSignModel(config: signerConfig(), fitting: signedDataset(), seed: 3)
        perturb(model, seed: 4, scale: 0.2)
        let data = try TrainingData(signedDataset(), model: model, batchSize: 4, seed: 1)
        func rowGradients(dropout: Float, seed: UInt64) throws -> (rows: [Float], ids: [Int]) {
            var config = model.config
            config.signerDropout = dropout
            var rng = RandomGenerator(seed: seed)
            let ids = StepDraws(config, batch: data.batch(step: 0), rng: &rng).batch.signerIDs
            let trained = try HybridSignModel(config: config, normalizer: model.normalizer, vocabulary: model.vocabulary,
                                              lengthModel: model.lengthModel, jointConfidence: model.jointConfidence, fps: model.fps,
                                              signers: model.signers, seed: 3)
            try trained.network.load(Dictionary(uniqueKeysWithValues: model.network.namedParameters().map { ($0.name, $0.parameter.value) }))
            let graph = Graph()
            rng = RandomGenerator(seed: seed)
            let (loss, _) = Objective.loss(model: trained, batch: data.batch(step: 0), rng: &rng, graph: graph, shards: 1)
            try graph.backward(loss)
            let grad = try XCTUnwrap(try table(trained).grad)
            return ((0..<4).map { r in (0..<16).reduce(Float(0)) { max($0, abs(grad.scalars[r * 16 + $1])) } }, ids)
        }
        let none = try rowGradients(dropout: 0, seed: 5)
        XCTAssertEqual(none.rows[0], 0)
        XCTAssertTrue((1...3).allSatisfy { none.rows[$0] > 0 }, "\(none.rows)")
        let all = try rowGradients(dropout: 1, seed: 5)
        XCTAssertGreaterThan(all.rows[0], 0)
        XCTAssertEqual(Array(all.rows[1...]), [0, 0, 0])
        let seed = try XCTUnwrap((UInt64(0)..<50).first { s in
            var rng = RandomGenerator(seed: s)
            let ids = StepDraws(model.config, batch: data.batch(step: 0), rng: &rng).batch.signerIDs
            return ids.contains(0) && ids.contains { $0 > 0 }
        })
        let half = try rowGradients(dropout: 0.5, seed: seed)
        XCTAssertGreaterThan(half.rows[0], 0)
        for id in Set(half.ids) where id > 0 { XCTAssertGreaterThan(half.rows[id], 0, "signer \(id) in \(half.ids)") }
    }

    func testSignersAndSamplingDefaultsRoundTripThroughTheCheckpoint() throws {
        let trainer = try Trainer(config: signerConfig(), dataset: signedDataset(), options: {
            var o = TrainingOptions(); o.steps = 2; o.batchSize = 4; o.seed = 1; return o
        }())
        _ = try trainer.trainStep()
        trainer.model.samplingDefaults = SamplingDefaults(steps: 3, temperature: 0.25)
        let url = temporaryURL("signers.safetensors")
        try Checkpoint.save(model: trainer.model, step: 1, to: url)
        let loaded = try HybridSignModel.load(contentsOf: url)
        XCTAssertEqual(loaded.signers, ["ase", "bzs", "gsg"])
        XCTAssertEqual(loaded.samplingDefaults, SamplingDefaults(steps: 3, temperature: 0.25))
        XCTAssertEqual(try table(loaded).value, try table(trainer.model).value)
        let options = loaded.samplingDefaults.options(seed: 4, signer: "ase")
        XCTAssertEqual(options, SamplingOptions(steps: 3, seed: 4, temperature: 0.25, signer: "ase"))
        XCTAssertEqual(options.overriding(steps: 1).steps, 1)
        XCTAssertEqual(options.overriding(temperature: 0).temperature, 0)
        XCTAssertEqual(options.overriding().temperature, 0.25)
    }

    func testDamagedSignerOrSamplingMetadataIsRefused() throws {
        let model = try HybridSignModel(config: signerConfig(), fitting: signedDataset(), seed: 3)
        let url = temporaryURL("signers-meta.safetensors")
        try model.save(to: url)
        let file = try SafeTensors.read(from: url)
        // A file claiming far more signers than its weights hold is refused before anything is allocated.
        let many = "[" + (0..<100_000).map { "\"s\(String(format: "%06d", $0))\"" }.joined(separator: ",") + "]"
        for (key, value, expected) in [("signers", nil, "'signers' is missing"), ("signers", "[\"gsg\",\"ase\"]", "sorted"),
                                       ("signers", many, "does not belong to these weights"),
                                       ("sampling", "{\"steps\":-1}", "steps must be"), ("sampling", "{\"temperature\":-2}", "temperature must be")] {
            var metadata = file.metadata
            metadata[key] = value
            let broken = temporaryURL("broken-\(key).safetensors")
            try SafeTensors.write(file.tensors, metadata: metadata, to: broken)
            XCTAssertThrowsError(try HybridSignModel.load(contentsOf: broken), "\(key) = \(value ?? "nil")") { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }

    /// The bundled multilingual data trains a signer model: its languages become the signers.
    func testTheBundledMultilingualDataGivesOneSignerPerLanguage() throws {
        let dev = try PoseIO.load(contentsOf: bundledMultilingual("dev"))
        var config = ModelConfig()
        config.dim = 16; config.heads = 2; config.depth = 1; config.mlp = 16
        config.signerConditioning = true
        let model = try HybridSignModel(config: config, fitting: dev, seed: 1)
        let languages = Set(dev.samples.summaries.compactMap(\.signer))
        XCTAssertEqual(model.signers, languages.sorted())
        XCTAssertGreaterThanOrEqual(model.signers.count, 10)
        XCTAssertThrowsError(try model.signerID("DGS")) { error in
            XCTAssertTrue("\(error)".contains("this model knows: \(model.signers.joined(separator: ", "))"), "\(error)")
        }
    }
}
