import Foundation
import PoseData
import Tensors
@testable import HybridSign

/// Fixtures the PyTorch twin is checked against (`python -m hybridsign_torch.parity DIR`): per case a
/// directory with the model (`model.safetensors`, weights perturbed so no gate is zero), the same
/// network freshly initialised from its seed (`init.safetensors`), the training data (`data.json`),
/// and in `fixture.safetensors` one step's batch outputs: the clean stream's heads, a noisy pass on
/// given inputs, the step's losses and every parameter's gradient (noise from the step's generator).
/// `resume` cases hold a trainer's checkpoint and what its next step produced.
enum TwinFixtures {
    struct Case {
        let name: String
        let config: ModelConfig
        var text: TextConditioning = .characters
    }

    static let seed: UInt64 = 11
    static let step = 3
    static let batchSize = 4

    /// ar, diffusion and hybrid with part and joint tokens, the hybrid with the switches off, word
    /// texts, clean-input noise, the full flow and attached history, the flow from noise alone, the
    /// flow on its own backbone (with per-part stacks and fusion, and with one shared stack and no
    /// fusion), and with sentence features.
    static var cases: [Case] {
        var result: [Case] = []
        for mode in ModelMode.allCases {
            for tokens in TokenKind.allCases {
                result.append(Case(name: "\(mode.rawValue)-\(tokens.rawValue)", config: tinyConfig(mode, tokens: tokens)))
            }
        }
        var ablated = tinyConfig(.hybrid, tokens: .part)
        ablated.experts = false
        ablated.confidence = false
        ablated.fusion = false
        ablated.historyNoise = 0.1
        ablated.flowFraction = 1
        ablated.detachHistory = false
        ablated.text = .words
        result.append(Case(name: "hybrid-ablated", config: ablated, text: .words))
        var light = tinyConfig(.hybrid, tokens: .joint)
        light.flowFraction = 0.25
        light.detachHistory = true
        light.flowWeight = 0.01
        result.append(Case(name: "hybrid-light", config: light))
        var fromNoise = tinyConfig(.hybrid, tokens: .part)
        fromNoise.flowSource = .noise
        result.append(Case(name: "hybrid-noise-source", config: fromNoise))
        var separate = tinyConfig(.hybrid, tokens: .joint)
        separate.flowBackbone = .separate
        separate.detachHistory = false
        result.append(Case(name: "hybrid-separate-flow", config: separate))
        var separateShared = tinyConfig(.hybrid, tokens: .part)
        separateShared.flowBackbone = .separate
        separateShared.experts = false
        separateShared.fusion = false
        result.append(Case(name: "hybrid-separate-flow-one-stack", config: separateShared))
        var sentence = tinyConfig(.hybrid, tokens: .part)
        sentence.text = .sentence
        sentence.sentenceWidth = 12
        result.append(Case(name: "hybrid-sentence", config: sentence, text: .sentence))
        return result
    }

    static func dataset(_ text: TextConditioning) -> PoseDataset {
        let dataset = syntheticDataset(text == .words ? ["a b", "b a", "a b c", "c a b"] : ["ab", "ba", "abc", "cab"], frames: [6, 7, 8, 9])
        guard text == .sentence else { return dataset }
        // Precomputed sentence features of 2...5 rows, width 12.
        var rng = RandomGenerator(seed: 31)
        let samples = dataset.samples.enumerated().map { index, sample in
            var copy = sample
            copy.textFeatures = try! TextFeatures(rows: 2 + index, width: 12, values: (0..<((2 + index) * 12)).map { _ in rng.normal() })
            return copy
        }
        return try! PoseDataset(layout: dataset.layout, samples: samples)
    }

    /// Writes every case under `directory`.
    static func write(to directory: URL) throws {
        for c in cases { try write(c, to: directory.appendingPathComponent(c.name)) }
        try writeResume(to: directory.appendingPathComponent("resume"))
    }

    static func write(_ c: Case, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dataset = dataset(c.text)
        try dataset.writeJSON(to: directory.appendingPathComponent("data.json"))
        let model = try HybridSignModel(config: c.config, fitting: dataset, seed: seed)
        try model.save(to: directory.appendingPathComponent("init.safetensors"))
        perturb(model, seed: 5, scale: 0.2)
        try model.save(to: directory.appendingPathComponent("model.safetensors"))

        let data = try TrainingData(dataset, model: model, batchSize: batchSize, seed: seed)
        let batch = data.batch(step: step)
        var tensors: [String: Tensor] = [:]
        try forwardOutputs(model: model, batch: batch, into: &tensors)

        let graph = Graph()
        var rng = RandomGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(step + 1))
        let (loss, parts) = Objective.loss(model: model, batch: batch, rng: &rng, graph: graph, shards: 1)
        try graph.backward(loss)
        for (name, p) in model.network.namedParameters() { tensors["grad." + name] = p.grad ?? Tensor(zeros: p.value.shape) }
        model.network.zeroGrad()
        for (key, value) in [("total", parts.total), ("flow", parts.flow), ("flow_error", parts.flowError), ("ar", parts.ar),
                             ("confidence", parts.confidence), ("progress", parts.progress)] {
            tensors["loss." + key] = Tensor(value)
        }
        try SafeTensors.write(tensors, metadata: ["seed": String(seed), "step": String(step), "batch": String(batchSize),
                                                  "indices": "\(data.batcher.batchIndices(epoch: step / data.batchesPerEpoch)[step % data.batchesPerEpoch])"],
                              to: directory.appendingPathComponent("fixture.safetensors"))
    }

    /// The clean stream's heads on the batch's clean input, and a noisy pass on random inputs (with
    /// the clean stream as history, or none for diffusion).
    static func forwardOutputs(model: HybridSignModel, batch: ModelBatch, into tensors: inout [String: Tensor]) throws {
        let network = model.network
        let graph = Graph(recording: false)
        let config = model.config
        let text = network.encodeText(ids: config.text == .sentence ? nil : batch.textIDs,
                                      features: config.text == .sentence ? batch.features : nil, graph: graph)
        let (b, t, j) = (batch.batchSize, batch.maxFrames, batch.coordinates.shape[2])
        var history = History.none
        if config.mode != .diffusion {
            var none = RandomGenerator(seed: 0)
            let input = Objective.cleanInput(batch, std: 0, rng: &none)
            let clean = network.cleanPass(frames: input.coordinates, confidence: input.confidence, firstFrame: 0, prependBOS: true,
                                          text: text, history: .none, graph: graph)
            tensors["clean.mean"] = clean.mean.value
            tensors["clean.confidence"] = clean.confidence.value
            tensors["clean.progress"] = clean.progress.value
            history = .graph(clean.cache)
        }
        guard config.mode != .ar else { return }
        var rng = RandomGenerator(seed: 99)
        let tr = (0..<(b * t)).map { _ -> (Float, Float) in
            let a = 0.05 + 0.95 * rng.uniform(), c = rng.uniform()
            return (a, c < 0.5 ? a : a * rng.uniform())
        }
        let frames = batch.lengths.map { n in (0..<t).map { $0 < n ? $0 : -1 } }
        let z = rng.normal([b, t, j, 2]), mean = rng.normal([b, t, j, 2], std: 0.5)
        let ownConfidence = rng.uniform([b, t, j])
        let tv = Tensor(shape: [b, t], scalars: tr.map(\.0)), rv = Tensor(shape: [b, t], scalars: tr.map(\.1))
        let u = network.noisyPass(z: graph.constant(z), mean: mean, ownConfidence: ownConfidence, frames: frames,
                                  t: graph.constant(tv), r: graph.constant(rv), text: text, history: history, graph: graph)
        tensors["noisy.z"] = z
        tensors["noisy.mean"] = mean
        tensors["noisy.own_confidence"] = ownConfidence
        tensors["noisy.t"] = tv
        tensors["noisy.r"] = rv
        tensors["noisy.frames"] = Tensor(shape: [b, t], scalars: frames.flatMap { $0.map(Float.init) })
        tensors["noisy.u"] = u.value
    }

    /// A trainer's checkpoint after 3 steps (`resume.safetensors`) and the state after its 4th step
    /// (`after.safetensors`, with the step's losses in `step.safetensors`).
    static func writeResume(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dataset = dataset(.characters)
        try dataset.writeJSON(to: directory.appendingPathComponent("data.json"))
        var options = TrainingOptions()
        options.steps = 10
        options.batchSize = 2
        options.learningRate = 3e-3
        options.warmupSteps = 2
        options.seed = seed
        var config = tinyConfig(.hybrid, tokens: .part)
        config.flowFraction = 0.5
        let trainer = try Trainer(config: config, dataset: dataset, options: options)
        for _ in 0..<3 { try trainer.trainStep() }
        try trainer.save(to: directory.appendingPathComponent("resume.safetensors"))
        let parts = try trainer.trainStep().loss
        try trainer.save(to: directory.appendingPathComponent("after.safetensors"))
        try SafeTensors.write(["loss.total": Tensor(parts.total), "loss.ar": Tensor(parts.ar), "loss.flow": Tensor(parts.flow)],
                              to: directory.appendingPathComponent("step.safetensors"))
    }
}
