import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// `flowBackbone`: the hybrid's flow runs through the clean stream's expert stacks and fusion
/// (the method) or through its own, and the choice travels with the model.
final class FlowBackboneTests: XCTestCase {
    private func config(_ backbone: FlowBackbone, mode: ModelMode = .hybrid) -> ModelConfig {
        var config = tinyConfig(mode)
        config.flowBackbone = backbone
        return config
    }

    func testTheBackboneRoundTripsAndAnOlderConfigurationMeansShared() throws {
        let data = try JSONEncoder().encode(config(.separate))
        XCTAssertEqual(try JSONDecoder().decode(ModelConfig.self, from: data).flowBackbone, .separate)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["flowBackbone"] = nil
        let older = try JSONSerialization.data(withJSONObject: object)
        XCTAssertEqual(try JSONDecoder().decode(ModelConfig.self, from: older).flowBackbone, .shared)
        object["flowBackbone"] = "twin"
        XCTAssertThrowsError(try JSONDecoder().decode(ModelConfig.self, from: JSONSerialization.data(withJSONObject: object)))
    }

    func testOnlyTheHybridTakesASeparateBackbone() {
        for mode in [ModelMode.ar, .diffusion] {
            XCTAssertThrowsError(try config(.separate, mode: mode).validate()) { error in
                XCTAssertTrue("\(error)".contains("needs mode hybrid") && "\(error)".contains("--mode hybrid"), "\(error)")
            }
        }
        XCTAssertNoThrow(try config(.separate).validate())
    }

    /// The separate backbone is drawn after every other weight: the weights both models have are
    /// equal for one seed, and the flow's own stacks and fusion mirror the clean stream's names.
    func testTheSeparateBackboneAddsItsOwnStacksAndFusion() throws {
        let dataset = syntheticDataset()
        let shared = try HybridSignModel(config: config(.shared), fitting: dataset, seed: 4)
        let separate = try HybridSignModel(config: config(.separate), fitting: dataset, seed: 4)
        let sharedWeights = Dictionary(uniqueKeysWithValues: shared.network.namedParameters().map { ($0.0, $0.1.value) })
        let separateWeights = Dictionary(uniqueKeysWithValues: separate.network.namedParameters().map { ($0.0, $0.1.value) })
        for (name, value) in sharedWeights { XCTAssertEqual(separateWeights[name]?.scalars, value.scalars, name) }
        let added = Set(separateWeights.keys).subtracting(sharedWeights.keys)
        let mirrored = Set(sharedWeights.keys.filter { $0.hasPrefix("experts.") || $0.hasPrefix("fusion.") }.map { "flow_" + $0 })
        XCTAssertEqual(added, mirrored)
        XCTAssertFalse(added.isEmpty)
    }

    /// With history detached, the flow's loss reaches the clean stream's stacks only when it
    /// shares them; with its own backbone it trains its own stacks and leaves the AR estimate's alone.
    func testTheFlowLossReachesTheCleanStacksOnlyWhenShared() throws {
        func gradients(_ backbone: FlowBackbone) throws -> (clean: Float, flow: Float) {
            var config = config(backbone)
            config.detachHistory = true
            config.flowFraction = 1
            config.arWeight = 0
            config.confidenceWeight = 0
            config.progressWeight = 0
            let dataset = syntheticDataset()
            let model = try HybridSignModel(config: config, fitting: dataset, seed: 3)
            perturb(model, scale: 0.1)
            let data = try TrainingData(dataset, model: model, batchSize: 4, seed: 3)
            let graph = Graph()
            var rng = RandomGenerator(seed: 9)
            let (loss, _) = Objective.loss(model: model, batch: data.batch(step: 0), rng: &rng, graph: graph, shards: 1)
            try graph.backward(loss)
            var clean: Float = 0, flow: Float = 0
            for (name, p) in model.network.namedParameters() {
                let size = p.grad?.maxAbs() ?? 0
                if name.hasPrefix("experts.") { clean = max(clean, size) }
                if name.hasPrefix("flow_experts.") { flow = max(flow, size) }
            }
            return (clean, flow)
        }
        let shared = try gradients(.shared), separate = try gradients(.separate)
        XCTAssertGreaterThan(shared.clean, 1e-6, "the flow trains a shared backbone")
        XCTAssertEqual(separate.clean, 0, "the flow leaves the AR stream's stacks alone")
        XCTAssertGreaterThan(separate.flow, 1e-6, "the flow trains its own stacks")
    }

    /// The flow's own weights change what the flow makes and nothing of the AR estimate.
    func testTheFlowWeightsMoveTheFlowAndNotTheEstimate() throws {
        let model = try HybridSignModel(config: config(.separate), fitting: syntheticDataset(), seed: 2)
        perturb(model, scale: 0.1)
        let options = SamplingOptions(steps: 1, seed: 1, frames: .fixed(4))
        var trace: Sampler.Trace? = Sampler.Trace()
        func run() throws -> (frames: [Float], means: [Float]) {
            trace = Sampler.Trace()
            let frames = try Sampler(model: model).generate(
                Sampler.Request(ids: try model.textIDs("abc"), features: nil, units: 3, text: "abc"),
                options: options, trace: &trace, shouldStop: { false }, onFrame: { _ in })
            return (frames.values, trace!.means.flatMap { $0 })
        }
        let before = try run()
        var rng = RandomGenerator(seed: 8)
        for (name, p) in model.network.namedParameters() where name.hasPrefix("flow_experts.") {
            p.assign(p.value + rng.normal(p.value.shape, std: 0.3))
        }
        let after = try run()
        XCTAssertNotEqual(before.frames, after.frames)
        XCTAssertEqual(before.means.count, after.means.count)
        // The first frame's estimate reads no generated frame, so the flow cannot reach it.
        let first = before.means.count / 4
        XCTAssertEqual(Array(before.means.prefix(first)), Array(after.means.prefix(first)))
    }

    /// A separate-backbone model trains, and its checkpoint keeps the backbone and its weights.
    func testASeparateBackboneTrainsAndIsStoredInTheCheckpoint() throws {
        let (trainer, first, last) = try trainBriefly(config(.separate), steps: 40)
        XCTAssertLessThan(last.flowError, first.flowError, "flow error \(first.flowError) → \(last.flowError)")
        let loaded = try savedAndLoaded(trainer, as: "flow-backbone-separate.safetensors")
        XCTAssertEqual(loaded.config.flowBackbone, .separate)
        let options1 = SamplingOptions(steps: 1, seed: 3, frames: .fixed(5), temperature: 1)
        XCTAssertEqual(try Sampler(model: loaded).sample(text: "ab", options: options1).values,
                       try Sampler(model: trainer.model).sample(text: "ab", options: options1).values)
    }
}
