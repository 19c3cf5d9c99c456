import Foundation
import XCTest
@testable import PoseData

/// Small hand-built files whose declared counts once crashed the tool or exhausted memory
/// (issue 18): each must now end in a clear error, quickly, before anything large is allocated.
final class HostileCountTests: XCTestCase {
    /// Asserts `body` throws an error whose message holds every fragment.
    private func assertRefuses(_ fragments: String..., file: StaticString = #filePath, line: UInt = #line,
                               _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let message = "\(error)"
            for fragment in fragments {
                XCTAssertTrue(message.contains(fragment), "'\(message)' lacks '\(fragment)'", file: file, line: line)
            }
        }
    }

    // MARK: Frame rates and resampling

    func testResamplingToAnAbsurdRateIsRefusedBeforeAllocating() throws {
        let sequence = try TestData.sequence(frames: 30)
        assertRefuses("fps 1e+300 is outside") { _ = try sequence.resampled(toFPS: 1e300) }
        // Within the rate range, but 30 frames at 25 fps become 1.2e8 frames at 1e8 fps.
        assertRefuses("would make", "frames is outside 0...\(PoseLimits.maximumFramesPerSample)") {
            _ = try TestData.sequence(frames: 30_000).resampled(toFPS: 99_999)
        }
    }

    func testASequenceWithADenormalRateCannotBeResampledPastItsBuffer() throws {
        // A sequence that slipped past the checks (made here without them): resampling it to
        // 25 fps once made ~1e301 frames, which became Int.min + 1 and wrote past the buffer.
        let values = try TestData.sequence(frames: 3).values
        let sequence = PoseSequence(checkedLayout: TestData.tinyLayout, fps: 1e-300, values: values, name: "s",
                                    text: nil, gloss: nil, signer: nil, textFeatures: nil)
        assertRefuses("resampling 's' from 1e-300 to 25 fps would make") { _ = try sequence.resampled(toFPS: 25) }
    }

    func testDenormalAndNonFiniteRatesAreRefusedByEveryReader() throws {
        assertRefuses("fps 1e-300 is outside") {
            _ = try PoseSequence(layout: TestData.tinyLayout, fps: 1e-300, values: [], name: nil)
        }
        let json = #"{"layout": {"name": "one", "joints": ["a"], "parts": [{"name": "p", "joints": [0]}], "bones": []}, "#
            + #""samples": [{"fps": 1e-300, "frames": [[[1, 2, 1]]]}]}"#
        assertRefuses("fps 1e-300 is outside") { _ = try PoseDataset(jsonBytes: Array(json.utf8), file: "tiny.json") }

        var pose = try PoseFile(sequence: try TestData.sequence(frames: 2))
        pose.fps = Float.leastNonzeroMagnitude
        let bytes = try pose.encoded()
        assertRefuses("is outside") { _ = try PoseFile(bytes: bytes, file: "denormal.pose").sequence() }

        var writer = PickleWriter()
        writer.opcode(PickleOpcode.emptyList)
        writer.opcode(PickleOpcode.emptyDict)
        writer.string("fps")
        writer.float(-.infinity)
        writer.opcode(PickleOpcode.setItem)
        writer.string("pose")
        writer.float32Array([1, 2, 1], shape: [1, 1, 3])
        writer.opcode(PickleOpcode.setItem)
        writer.opcode(PickleOpcode.append)
        assertRefuses("fps -inf is outside") { _ = try PickleDataset.decode(writer.finish(), name: "inf.pkl") }
    }

    // MARK: Declared shapes

    /// A pickle holding one sample whose `pose` is a float32 array of `shape` (no data bytes
    /// when the shape has no elements).
    private func pickle(poseShape shape: [Int]) -> [UInt8] {
        var writer = PickleWriter()
        writer.opcode(PickleOpcode.emptyList)
        writer.opcode(PickleOpcode.emptyDict)
        writer.string("pose")
        writer.float32Array([], shape: shape)
        writer.opcode(PickleOpcode.setItem)
        writer.opcode(PickleOpcode.append)
        return writer.finish()
    }

    func testZeroFramesOfATrillionJointsIsRefusedBeforeALayoutIsBuilt() throws {
        let bytes = pickle(poseShape: [0, 1_000_000_000_000, 3])
        XCTAssertLessThan(bytes.count, 300)
        let start = Date()
        assertRefuses("has shape [0, 1000000000000, 3]", "1000000000000 joints per frame is outside 1...\(PoseLimits.maximumJoints)") {
            _ = try PickleDataset.decode(bytes, name: "wide.pkl")
        }
        assertRefuses("has shape [1000000000000, 0, 3]: 0 joints per frame is outside") {
            _ = try PickleDataset.decode(pickle(poseShape: [1_000_000_000_000, 0, 3]), name: "long.pkl")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "refused without building anything large")
    }

    func testTheJointCeilingStillReadsRealSkeletons() throws {
        // MediaPipe Holistic (543 points) as an empty sequence: within every ceiling.
        let dataset = try PickleDataset.decode(pickle(poseShape: [0, 543, 3]), name: "holistic.pkl")
        XCTAssertEqual(dataset.layout.jointCount, 543)
        XCTAssertEqual(dataset.samples.first?.frameCount, 0)
    }

    func testPoseFileDeclaringTooManyFramesIsRefused() throws {
        // The writer checks its counts: patch them into a valid file's header instead.
        var bytes = try PoseFile(sequence: try TestData.sequence(frames: 0)).encoded()
        let countOffset = bytes.count - 6  // frame count (UInt32) then people count (UInt16) end the header
        withUnsafeBytes(of: UInt32(PoseLimits.maximumFramesPerSample + 1).littleEndian) { bytes.replaceSubrange(countOffset..<(countOffset + 4), with: $0) }
        withUnsafeBytes(of: UInt16(0).littleEndian) { bytes.replaceSubrange((countOffset + 4)..<(countOffset + 6), with: $0) }
        assertRefuses("declares \(PoseLimits.maximumFramesPerSample + 1) frames") { _ = try PoseFile(bytes: bytes, file: "long.pose") }
    }
}
