import Tensors
import XCTest
@testable import HybridSign

/// The stratified choice of the frames the flow trains on: every frame has the chances of
/// independent draws, and sequences of one length get groups of sizes one apart at most.
final class FlowFrameSamplingTests: XCTestCase {
    func testFrameChancesAndGroupSizes() {
        var config = ModelConfig()
        config.flowFraction = 0.25
        config.flowMatchingFraction = 0.75
        var rng = RandomGenerator(seed: 3)
        let length = 40, draws = 4000
        var chosen = [Int](repeating: 0, count: length), jvp = [Int](repeating: 0, count: length)
        var jvpSizes = Set<Int>(), equalSizes = Set<Int>()
        for _ in 0..<draws {
            let (a, e) = Objective.flowFrames(length: length, config, rng: &rng)
            XCTAssertEqual(a, a.sorted())
            XCTAssertEqual(Set(a).intersection(e), [], "a frame is in one group")
            XCTAssertEqual(a.count + e.count, 10, "a quarter of 40 frames")
            jvpSizes.insert(a.count)
            equalSizes.insert(e.count)
            for i in a { chosen[i] += 1; jvp[i] += 1 }
            for i in e { chosen[i] += 1 }
        }
        XCTAssertEqual(jvpSizes, [2, 3], "2.5 frames with r ≠ t, rounded at random")
        XCTAssertEqual(equalSizes, [7, 8])
        for i in 0..<length {
            // Expected 1000 draws of 4000 (σ ≈ 27) and 250 with r ≠ t (σ ≈ 15).
            XCTAssertEqual(Double(chosen[i]), 1000, accuracy: 130, "frame \(i) chosen")
            XCTAssertEqual(Double(jvp[i]), 250, accuracy: 75, "frame \(i) with r ≠ t")
        }
    }

    func testShortSequencesAndTheWholeSequence() {
        var config = ModelConfig()
        config.flowFraction = 1
        var rng = RandomGenerator(seed: 4)
        let (a, e) = Objective.flowFrames(length: 5, config, rng: &rng)
        XCTAssertEqual((a + e).sorted(), [0, 1, 2, 3, 4], "flowFraction 1 takes every frame")
        config.flowFraction = 0.1
        for _ in 0..<50 {
            let (a, e) = Objective.flowFrames(length: 1, config, rng: &rng)
            XCTAssertLessThanOrEqual(a.count + e.count, 1)
            XCTAssertTrue((a + e).allSatisfy { $0 == 0 })
        }
    }
}
