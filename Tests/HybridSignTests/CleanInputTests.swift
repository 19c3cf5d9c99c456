import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// The clean stream is trained on frames in the form the sampler feeds back: joints below the
/// visibility threshold missing, the rest as recorded (plus the optional history noise).
final class CleanInputTests: XCTestCase {
    /// One batch of a sequence whose joint 0 is faint (confidence 0.3), joint 1 missing in odd
    /// frames and the others visible (0.9).
    func batch(model: HybridSignModel) throws -> ModelBatch {
        let layout = tinyLayout
        var values: [Float] = []
        for f in 0..<4 {
            for k in 0..<layout.jointCount {
                let confidence: Float = k == 0 ? 0.3 : (k == 1 && f % 2 == 1 ? 0 : 0.9)
                values += confidence == 0 ? [0, 0, 0] : [100 + Float(10 * k + f), 200 - Float(5 * k), confidence]
            }
        }
        let dataset = try PoseDataset(layout: layout, samples: [try PoseSequence(layout: layout, fps: 12.5, values: values, text: "ab")])
        return try TrainingData(dataset, model: model, batchSize: 1, seed: 0).batch(step: 0)
    }

    func testFaintJointsAreMissingAndVisibleOnesUntouched() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        let batch = try batch(model: model)
        var rng = RandomGenerator(seed: 1)
        let input = Objective.cleanInput(batch, std: 0, rng: &rng)
        let c = batch.confidence.scalars, x = batch.coordinates.scalars
        XCTAssertEqual(input.confidence.shape, batch.confidence.shape)
        var faint = 0
        for i in c.indices {
            if c[i] < Sampler.visibilityThreshold {
                if c[i] > 0 { faint += 1 }
                XCTAssertEqual(input.confidence.scalars[i], 0, "joint slot \(i) (confidence \(c[i])) must read as missing")
                XCTAssertEqual(input.coordinates.scalars[2 * i], 0)
                XCTAssertEqual(input.coordinates.scalars[2 * i + 1], 0)
            } else {
                XCTAssertEqual(input.confidence.scalars[i], c[i])
                XCTAssertEqual(input.coordinates.scalars[2 * i], x[2 * i])
                XCTAssertEqual(input.coordinates.scalars[2 * i + 1], x[2 * i + 1])
            }
        }
        XCTAssertEqual(faint, 4, "the faint joint in each of the 4 frames")
    }

    func testHistoryNoiseMovesOnlyVisibleJoints() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        let batch = try batch(model: model)
        var rng = RandomGenerator(seed: 1)
        let input = Objective.cleanInput(batch, std: 0.1, rng: &rng)
        let c = batch.confidence.scalars, x = batch.coordinates.scalars
        var moved: [Float] = []
        for i in c.indices {
            if c[i] < Sampler.visibilityThreshold {
                XCTAssertEqual(input.coordinates.scalars[2 * i], 0)
            } else {
                moved += [input.coordinates.scalars[2 * i] - x[2 * i], input.coordinates.scalars[2 * i + 1] - x[2 * i + 1]]
            }
        }
        let rms = (moved.map { $0 * $0 }.reduce(0, +) / Float(moved.count)).squareRoot()
        XCTAssertGreaterThan(rms, 0.05)
        XCTAssertLessThan(rms, 0.2, "noise of std 0.1 in normalised units")
    }
}
