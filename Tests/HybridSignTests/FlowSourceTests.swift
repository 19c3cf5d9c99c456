import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// `flowSource`: the hybrid's flow starts from its AR estimate plus noise (the method) or from
/// noise alone, in training and in sampling, and the choice travels with the model.
final class FlowSourceTests: XCTestCase {
    private func config(_ source: FlowSource) -> ModelConfig {
        var config = tinyConfig()
        config.flowSource = source
        return config
    }

    func testTheSourceIsTheEstimatePlusNoiseOrTheNoiseAlone() {
        XCTAssertEqual(config(.estimate).flowStart(mean: 2, noise: 0.25), 2.25)
        XCTAssertEqual(config(.noise).flowStart(mean: 2, noise: 0.25), 0.25)
        let mean = Tensor(shape: [2], scalars: [1, -1]), noise = Tensor(shape: [2], scalars: [0.5, 0.5])
        XCTAssertEqual(config(.estimate).flowStart(mean: mean, noise: noise).scalars, [1.5, -0.5])
        XCTAssertEqual(config(.noise).flowStart(mean: mean, noise: noise).scalars, [0.5, 0.5])
    }

    func testTheSourceRoundTripsAndAnOlderConfigurationMeansTheEstimate() throws {
        let data = try JSONEncoder().encode(config(.noise))
        XCTAssertEqual(try JSONDecoder().decode(ModelConfig.self, from: data).flowSource, .noise)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["flowSource"] = nil
        let older = try JSONSerialization.data(withJSONObject: object)
        XCTAssertEqual(try JSONDecoder().decode(ModelConfig.self, from: older).flowSource, .estimate)
        object["flowSource"] = "prior"
        XCTAssertThrowsError(try JSONDecoder().decode(ModelConfig.self, from: JSONSerialization.data(withJSONObject: object)))
    }

    /// At temperature 0 a noise-source model starts every frame's flow at 0 whatever the seed, so
    /// seeds agree; an estimate-source model with the same weights starts at μ and differs.
    /// At temperature 1 the noise-source model's seeds differ.
    func testSamplingStartsFromTheChosenSource() throws {
        let dataset = syntheticDataset()
        let fromNoise = try HybridSignModel(config: config(.noise), fitting: dataset, seed: 2)
        perturb(fromNoise, scale: 0.05)
        let fromEstimate = try HybridSignModel(config: config(.estimate), fitting: dataset, seed: 2)
        perturb(fromEstimate, scale: 0.05)
        func frames(_ model: HybridSignModel, seed: UInt64, temperature: Float) throws -> [Float] {
            let options = SamplingOptions(steps: 1, seed: seed, frames: .fixed(4), temperature: temperature)
            return try Sampler(model: model).sample(text: "abc", options: options).values
        }
        XCTAssertEqual(try frames(fromNoise, seed: 1, temperature: 0), try frames(fromNoise, seed: 2, temperature: 0))
        XCTAssertNotEqual(try frames(fromNoise, seed: 1, temperature: 0), try frames(fromEstimate, seed: 1, temperature: 0))
        XCTAssertNotEqual(try frames(fromNoise, seed: 1, temperature: 1), try frames(fromNoise, seed: 2, temperature: 1))
    }

    /// The flow trained from noise learns (its error falls), and the checkpoint keeps the source.
    func testANoiseSourceTrainsAndIsStoredInTheCheckpoint() throws {
        let (trainer, first, last) = try trainBriefly(config(.noise), steps: 60)
        XCTAssertTrue(last.total.isFinite)
        XCTAssertLessThan(last.flowError, first.flowError, "flow error \(first.flowError) → \(last.flowError)")
        let model = try savedAndLoaded(trainer, as: "flow-source-noise.safetensors")
        XCTAssertEqual(model.config.flowSource, .noise)
        XCTAssertEqual(model.samplingDefaults, SamplingDefaults(steps: 1, temperature: 1), "a flow from noise is sampled at temperature 1")
        XCTAssertEqual(SamplingDefaults(recommendedFor: tinyConfig()), SamplingDefaults(steps: 1, temperature: 0))
    }
}
