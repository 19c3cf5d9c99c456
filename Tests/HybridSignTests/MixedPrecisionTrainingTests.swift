import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// Training with bfloat16 products (``Trainer/matmulPrecision`` `bf16`) follows the float32 run
/// closely without being it.
final class MixedPrecisionTrainingTests: XCTestCase {
    func testBFloat16StepsFollowTheFloat32Steps() throws {
        // Joint tokens of the real layout: a shard's linear layers see thousands of rows, above
        // the bfloat16 products' minimum.
        let data = try PoseIO.load(contentsOf: bundledWords("dev")).subset(Array(0..<4))
        var config = tinyConfig(tokens: .joint)
        config.layout = data.layout
        config.maxFrames = 16
        let options = shortRunOptions(steps: 3, batchSize: 4, seed: 11)
        let float32 = try Trainer(config: config, dataset: data, options: options)
        let bfloat16 = try Trainer(config: config, dataset: data, options: options)
        bfloat16.matmulPrecision = .bf16
        XCTAssertGreaterThanOrEqual(4 * 16 * config.tokensPerFrame / Parallel.workerCount, BFloat16Products.minimumRows)
        for step in 0..<options.steps {
            let a = try float32.trainStep().loss.total, b = try bfloat16.trainStep().loss.total
            XCTAssertTrue(b.isFinite, "step \(step)")
            XCTAssertEqual(b, a, accuracy: 0.02 * abs(a), "step \(step)")
        }
        var largest: Float = 0
        for (x, y) in zip(float32.model.network.namedParameters(), bfloat16.model.network.namedParameters()) {
            largest = max(largest, zip(x.parameter.value.scalars, y.parameter.value.scalars).map { abs($0 - $1) }.max() ?? 0)
        }
        XCTAssertGreaterThan(largest, 0, "bf16 products change the run")
        XCTAssertLessThan(largest, 0.05, "but only by their rounding")
    }
}
