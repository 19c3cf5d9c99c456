import Foundation
import XCTest
@testable import PoseData

/// MediaPipe Holistic `.pose` data → OpenPose-137, against the mapping the word pickles were made with.
final class MediaPipeHolisticTests: XCTestCase {
    func testCutClipConvertsExactlyAsThePickles() throws {
        let expected = try TestData.json("holistic-cut.expected.json") as! [String: Any]
        let holistic = try PoseFile(contentsOf: TestData.fixture("holistic-cut.pose")).sequence()
        XCTAssertTrue(MediaPipeHolistic.canConvert(holistic.layout))
        let openPose = try MediaPipeHolistic.openPose137(from: holistic)
        XCTAssertEqual(openPose.layout, .openPose137)
        XCTAssertEqual(openPose.fps, 30)
        XCTAssertEqual(openPose.values.map(Double.init), (expected["openpose137"] as! [Any]).doubles)
    }

    func testTwoLandmarkJointsTakeMeanAndSmallerConfidence() throws {
        var holistic = try PoseFile(contentsOf: TestData.fixture("holistic-cut.pose")).sequence()
        // Shoulders are pose landmarks 11 and 12; the neck (OpenPose 1) is made from them.
        let left = holistic.offset(frame: 0, joint: 11), right = holistic.offset(frame: 0, joint: 12)
        holistic.values[left] = 100; holistic.values[left + 1] = 10; holistic.values[left + 2] = 0.9
        holistic.values[right] = 200; holistic.values[right + 1] = 30; holistic.values[right + 2] = 0.4
        let neck = try holistic.converted(to: .openPose137).point(frame: 0, joint: 1)
        XCTAssertEqual(neck.x, 150)
        XCTAssertEqual(neck.y, 20)
        XCTAssertEqual(neck.confidence, 0.4)
        // One missing landmark makes the joint missing, at x = y = 0.
        holistic.values[right + 2] = 0
        let missing = try holistic.converted(to: .openPose137).point(frame: 0, joint: 1)
        XCTAssertEqual([missing.x, missing.y, missing.confidence], [0, 0, 0])
    }

    func testLayoutWithoutHolisticPartsIsRejected() throws {
        let sequence = try TestData.sequence(frames: 2)
        XCTAssertFalse(MediaPipeHolistic.canConvert(sequence.layout))
        XCTAssertThrowsError(try MediaPipeHolistic.openPose137(from: sequence)) { error in
            XCTAssertTrue("\(error)".contains("POSE_LANDMARKS"), "\(error)")
        }
    }

    /// A whole recorded clip converts to exactly the OpenPose-137 clip of the letters pickle.
    func testRecordedClipMatchesTheLettersPickle() throws {
        let expected = try TestData.json("holistic-ase-a.expected.json") as! [[String: Any]]
        for entry in expected {
            let url = TestData.fixture(entry["file"] as! String)
            let dataset = try PoseIO.load(contentsOf: url, layout: .openPose137)
            let sequence = dataset[0]
            let reference = entry["openpose137"] as! [String: Any]
            XCTAssertEqual(sequence.frameCount, reference["frameCount"] as? Int)
            XCTAssertEqual(sequence.fps, reference["fps"] as! Double)
            let sums = (0..<3).map { c in stride(from: c, to: sequence.values.count, by: 3).reduce(0.0) { $0 + Double(sequence.values[$1]) } }
            for (sum, want) in zip(sums, (reference["sums"] as! [Any]).doubles) {
                XCTAssertEqual(sum, want, accuracy: 1e-6 * max(1, abs(want)))
            }
            XCTAssertEqual(sequence.values.prefix(137 * 3).map(Double.init), (reference["frame0"] as! [Any]).doubles)
        }
    }
}
