import PoseData
import Tensors
import XCTest
@testable import HybridSign

final class JVPTests: XCTestCase {
    /// du/dt along (dz, dr, dt) = (v, 0, 1), as the objective computes it, equals central finite
    /// differences of the noisy pass.
    func checkJVP(tokens: TokenKind, memory useMemory: Bool) throws {
        var config = tinyConfig(useMemory ? .hybrid : .diffusion, tokens: tokens)
        config.text = .characters
        let model = try HybridSignModel(config: config, fitting: syntheticDataset(), seed: 5)
        perturb(model, scale: 0.2)
        let network = model.network
        let j = model.partOrder.count
        let frames = 4
        var rng = RandomGenerator(seed: 11)
        let z = rng.normal([1, frames, j, 2]), v = rng.normal([1, frames, j, 2])
        let mean = rng.normal([1, frames, j, 2]), conf = rng.uniform([1, frames, j])
        let t = Tensor(shape: [1, frames], scalars: [0.9, 0.6, 0.7, 0.4]), r = Tensor(shape: [1, frames], scalars: [0.2, 0.1, 0.5, 0.3])
        func run(_ z: Tensor, _ t: Tensor, tangents: Bool) -> Var {
            let g = Graph(recording: false)
            let text = network.encodeText(ids: [[1, 2, 3]], graph: g)
            var memory = History.none
            if useMemory {
                let clean = network.cleanPass(frames: mean, confidence: conf, firstFrame: 0, prependBOS: true, text: text, history: .none, graph: g)
                memory = .graph(clean.cache)
            }
            return network.noisyPass(z: g.input(z, tangent: tangents ? v : nil), mean: mean, ownConfidence: conf,
                                     frames: [Array(0..<frames)], t: g.input(t, tangent: tangents ? Tensor(repeating: 1, shape: t.shape) : nil),
                                     r: g.input(r), text: text, history: memory, graph: g)
        }
        let u = run(z, t, tangents: true)
        let jvp = try XCTUnwrap(u.tangent)
        let eps: Float = 1e-3
        let plus = run(z + v * eps, t + eps, tangents: false).value
        let minus = run(z - v * eps, t - eps, tangents: false).value
        let numeric = (plus - minus) * (1 / (2 * eps))
        XCTAssertGreaterThan(jvp.maxAbs(), 1e-2)
        let scale = numeric.maxAbs()
        let worst = (jvp - numeric).maxAbs() / scale
        XCTAssertLessThan(worst, 2e-2, "JVP vs finite differences (max |du/dt| \(scale))")
    }

    func testJVPMatchesFiniteDifferencesHybridPartTokens() throws { try checkJVP(tokens: .part, memory: true) }
    func testJVPMatchesFiniteDifferencesHybridJointTokens() throws { try checkJVP(tokens: .joint, memory: true) }
    func testJVPMatchesFiniteDifferencesDiffusion() throws { try checkJVP(tokens: .part, memory: false) }
}
