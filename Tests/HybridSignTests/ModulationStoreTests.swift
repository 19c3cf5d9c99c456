import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// The samplers' adaLN modulations kept with the network between sampling calls: a second call
/// reuses them and samples exactly what the first did, and a weight change is never served stale.
final class ModulationStoreTests: XCTestCase {
    private func model(_ config: ModelConfig = tinyConfig()) throws -> HybridSignModel {
        let model = try HybridSignModel(config: config, fitting: syntheticDataset(), seed: 1)
        perturb(model)
        return model
    }

    private let options = SamplingOptions(steps: 2, frames: .fixed(6), temperature: 0.5)

    /// The first call fills the store (the clean stream's pair and the two flow steps' pairs);
    /// the second, served from it, gives the same frames bit for bit; so does a batch.
    func testASecondCallReusesTheModulationsAndSamplesTheSame() throws {
        let model = try model()
        let sampler = Sampler(model: model)
        XCTAssertEqual(model.network.modulationStore.count, 0)
        let first = try sampler.sample(text: "abc", options: options)
        let stored = model.network.modulationStore.count
        // Every block at the clean stream's (0, 0), and at each flow step's (t, r) every block and
        // the flow's final modulation.
        let blocks = model.network.stacks.count * model.config.depth
        XCTAssertEqual(stored, blocks + options.steps * (blocks + 1))
        let second = try sampler.sample(text: "abc", options: options)
        XCTAssertEqual(second.values, first.values)
        XCTAssertEqual(model.network.modulationStore.count, stored, "nothing new to store")
        let batched = try sampler.sample([BatchItem(text: "abc", seed: options.seed), BatchItem(text: "ba", seed: 3)],
                                         options: options, batchSize: 2)
        assertClose(try XCTUnwrap(batched[0]).values, first.values, tolerance: 1e-5, "the batch's first sequence")
    }

    /// After a weight changes (by assignment, or by an optimiser step in place) the next call
    /// samples what a fresh copy of the changed model samples, not the old modulations.
    func testChangedWeightsAreNotServedStale() throws {
        let model = try model()
        let sampler = Sampler(model: model)
        let before = try sampler.sample(text: "abc", options: options)
        let modulation = try XCTUnwrap(model.network.namedParameters().first { $0.name.hasSuffix("modulation.weight") }?.parameter)
        let version = model.network.weightsVersion
        modulation.assign(modulation.value * 2)
        XCTAssertNotEqual(model.network.weightsVersion, version)
        let afterAssign = try sampler.sample(text: "abc", options: options)
        XCTAssertNotEqual(afterAssign.values, before.values, "the doubled modulation must change the sample")
        try assertSamplesAsAFreshCopy(model, afterAssign)

        modulation.setGrad(Tensor(repeating: 1, shape: modulation.value.shape))
        AdamW([(name: "modulation", parameter: modulation)], learningRate: 0.1).step()
        let afterStep = try sampler.sample(text: "abc", options: options)
        XCTAssertNotEqual(afterStep.values, afterAssign.values, "the optimiser step must change the sample")
        try assertSamplesAsAFreshCopy(model, afterStep)
    }

    /// A call's cache, its tables and its graph are freed when the call ends (no cycle through the
    /// tables); the values stay in the network's store.
    func testACallsCacheAndGraphAreFreedWithIt() throws {
        let model = try model()
        let layer = try XCTUnwrap(model.network.stacks.first?.first)
        weak var weakCache: ConditioningCache?
        weak var weakGraph: Graph?
        do {
            let graph = Graph(recording: false)
            let cache = ConditioningCache(network: model.network, graph: graph)
            let values = cache.table(t: 0, r: 0).values(for: layer) { [graph.constant(Tensor(shape: [1], scalars: [3]))] }
            XCTAssertEqual(values.map(\.value.scalars), [[3]])
            weakCache = cache
            weakGraph = graph
        }
        XCTAssertNil(weakCache)
        XCTAssertNil(weakGraph)
        XCTAssertEqual(model.network.modulationStore.count, 1)
    }

    /// A model with `model`'s weights and an empty store samples `expected`.
    private func assertSamplesAsAFreshCopy(_ model: HybridSignModel, _ expected: PoseSequence,
                                           file: StaticString = #filePath, line: UInt = #line) throws {
        let copy = try HybridSignModel(config: model.config, fitting: syntheticDataset(), seed: 1)
        try copy.network.load(Dictionary(uniqueKeysWithValues: model.network.namedParameters().map { ($0.name, $0.parameter.value) }))
        let fresh = try Sampler(model: copy).sample(text: "abc", options: options)
        XCTAssertEqual(fresh.values, expected.values, "a fresh copy of the changed model", file: file, line: line)
    }
}
