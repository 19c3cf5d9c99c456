import XCTest
import PoseData
@testable import Evaluation

final class SequenceMetricsTests: XCTestCase {
    /// Layout with two shoulders (width 10 apart in `frame`) and a one-joint hand.
    private let layout = Layout(
        name: "mini", joints: ["right_shoulder", "left_shoulder", "right_hand_wrist"],
        parts: [.init(name: "body", joints: [0, 1]), .init(name: "right_hand", joints: [2])],
        bones: [.init(0, 1)])

    /// A frame whose hand sits at x = `hand`; shoulders at (0, 0) and (10, 0).
    private func frame(hand: Float, handConfidence: Float = 1) -> [Float] {
        [0, 0, 1, 10, 0, 1, hand, 5, handConfidence]
    }

    private func sequence(_ hands: [Float], confidence: Float = 1) throws -> PoseSequence {
        try PoseSequence(layout: layout, fps: 25, values: hands.flatMap { frame(hand: $0, handConfidence: confidence) })
    }

    func testIdenticalSequencesScoreZero() throws {
        let s = try sequence([0, 1, 2, 3])
        let m = try XCTUnwrap(SequenceMetrics.compare(s, with: s))
        XCTAssertEqual(m.dtwMJE, 0)
        XCTAssertEqual(m.mje, 0)
        XCTAssertEqual(m.dtwMJEHands, 0)
    }

    func testTimeWarpCostsNothingUnderDTWButDoesUnderMJE() throws {
        let reference = try sequence([0, 4, 8])
        let slowed = try sequence([0, 0, 0, 4, 8, 8])
        let m = try XCTUnwrap(SequenceMetrics.compare(slowed, with: reference))
        XCTAssertEqual(m.dtwMJE, 0, accuracy: 1e-9)
        XCTAssertGreaterThan(m.mje, 0.1)
    }

    func testConstantOffsetGivesItsMeanOverJoints() throws {
        let reference = try sequence([0, 1, 2])
        let shifted = try sequence([3, 4, 5]) // hand 3 units off; shoulders exact
        let m = try XCTUnwrap(SequenceMetrics.compare(shifted, with: reference))
        XCTAssertEqual(m.dtwMJE, 1, accuracy: 1e-9) // (0 + 0 + 3) / 3 joints
        XCTAssertEqual(m.dtwMJENormalized!, 0.1, accuracy: 1e-9) // shoulder width 10
        XCTAssertEqual(m.dtwMJEHands!, 3, accuracy: 1e-9)
        XCTAssertEqual(m.mje, 1, accuracy: 1e-9)
    }

    func testJointsMissingInReferenceDoNotCount() throws {
        let reference = try sequence([0, 1, 2], confidence: 0)
        let shifted = try sequence([30, 40, 50])
        let m = try XCTUnwrap(SequenceMetrics.compare(shifted, with: reference))
        XCTAssertEqual(m.dtwMJE, 0, accuracy: 1e-9)
        XCTAssertNil(m.dtwMJEHands)
    }

    func testLayoutMismatchIsAnError() throws {
        let other = try PoseSequence(layout: .openPose137, fps: 25, values: [Float](repeating: 1, count: 137 * 3))
        XCTAssertThrowsError(try SequenceMetrics.compare(other, with: try sequence([0]))) { error in
            XCTAssertTrue("\(error)".contains("layouts differ"))
        }
    }

    func testMeanPoseBaselineAveragesPresentJoints() throws {
        let dataset = try PoseDataset(layout: layout, samples: [try sequence([2, 4]), try sequence([6], confidence: 0)])
        let baseline = try XCTUnwrap(MeanPoseBaseline(fitting: dataset))
        XCTAssertEqual(baseline.frame[6], 3) // hand x: mean of 2 and 4; the missing 6 is ignored
        XCTAssertEqual(baseline.frame[8], 2.0 / 3.0, accuracy: 1e-6) // present in 2 of 3 frames
        XCTAssertEqual(try baseline.sequence(frames: 5, fps: 25).frameCount, 5)
    }

    func testDatasetAverageSkipsMissingFigures() throws {
        let a = SequenceMetrics(dtwMJE: 1, dtwMJENormalized: nil, dtwMJEHands: 2, mje: 3)
        let b = SequenceMetrics(dtwMJE: 3, dtwMJENormalized: 0.5, dtwMJEHands: nil, mje: 5)
        let mean = try XCTUnwrap(DatasetMetrics(averaging: [a, b]))
        XCTAssertEqual(mean.dtwMJE, 2)
        XCTAssertEqual(mean.dtwMJENormalized, 0.5)
        XCTAssertEqual(mean.dtwMJEHands, 2)
        XCTAssertEqual(mean.samples, 2)
    }

    func testStreamTiming() throws {
        let timing = try XCTUnwrap(StreamTiming(frameTimes: [0.02, 0.04, 0.06, 0.08]))
        XCTAssertEqual(timing.timeToFirstFrame, 0.02)
        XCTAssertEqual(timing.framesPerSecond, 50, accuracy: 1e-9)
        XCTAssertNil(StreamTiming(frameTimes: []))
    }
}
