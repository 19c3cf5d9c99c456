import Tensors
import XCTest
@testable import HybridSign

/// Every parameter learns: a step's loss reaches each one (the start tokens and the part embedding
/// are used only through ops on parameters, which must be attached to the step's graph).
final class GradientCoverageTests: XCTestCase {
    func testEveryParameterReceivesAGradient() throws {
        for mode in ModelMode.allCases {
            for tokens in TokenKind.allCases {
                let dataset = syntheticDataset()
                let model = try HybridSignModel(config: tinyConfig(mode, tokens: tokens), fitting: dataset, seed: 3)
                perturb(model, seed: 4, scale: 0.2)
                let data = try TrainingData(dataset, model: model, batchSize: 4, seed: 1)
                for shards in [1, 2] {
                    let graph = Graph()
                    var rng = RandomGenerator(seed: 9)
                    let (loss, _) = Objective.loss(model: model, batch: data.batch(step: 0), rng: &rng, graph: graph, shards: shards)
                    try graph.backward(loss)
                    for (name, p) in model.network.namedParameters() {
                        XCTAssertGreaterThan(p.grad?.maxAbs() ?? 0, 0, "\(mode.rawValue), \(tokens.rawValue) tokens, \(shards) shards: \(name) gets no gradient")
                    }
                    model.network.zeroGrad()
                }
            }
        }
    }
}
