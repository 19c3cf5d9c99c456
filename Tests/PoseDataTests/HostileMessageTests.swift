import Foundation
import XCTest
@testable import PoseData

/// Messages about hostile files (issue 18): text from the file is escaped and cut, never echoed
/// raw to a terminal; values no reader should accept are refused with the place they are at.
final class HostileMessageTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        XCTFail("expected an error")
        return ""
    }

    /// A pickle that asks for the global `module.name`.
    private func pickle(global module: String, _ name: String) -> [UInt8] {
        var writer = PickleWriter()
        writer.global(module, name)
        return writer.finish()
    }

    func testControlCharactersInAGlobalNameAreEscaped() {
        let text = message { _ = try PickleReader.read(pickle(global: "os\u{1B}]0;owned\u{07}", "system"), fileName: "evil.pkl") }
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 }, "raw control characters in: \(text.debugDescription)")
        XCTAssertTrue(text.contains(#"'os\e]0;owned\x07.system'"#), text)
    }

    func testLongFileTextIsCutInMessages() {
        let long = String(repeating: "A", count: 40_000)
        let text = message { _ = try PickleReader.read(pickle(global: long, "x"), fileName: "long.pkl") }
        XCTAssertLessThan(text.utf8.count, 1_000, "a \(text.utf8.count)-byte message")
        XCTAssertTrue(text.contains("… (40002 characters)"), text)

        let json = #"{"layout": {"name": ""# + long + #"", "joints": ["a"], "parts": [], "bones": []}, "samples": []}"#
        let layoutText = message { _ = try PoseDataset(jsonBytes: Array(json.utf8), file: "layout.json") }
        XCTAssertLessThan(layoutText.utf8.count, 1_000, layoutText)
    }

    func testBytesOfAHugeSizeSaysBytes() {
        var writer = PickleWriter()
        writer.global("builtins", "bytes")
        writer.intTuple([1_000_000_000_000])
        writer.opcode(PickleOpcode.reduce)
        let text = message { _ = try PickleReader.read(writer.finish(), fileName: "bytes.pkl") }
        XCTAssertTrue(text.contains("bytes(1000000000000) asks for 1000000000000 zero bytes"), text)
        XCTAssertFalse(text.contains("bytearray"), text)

        var small = PickleWriter()
        small.global("builtins", "bytearray")
        small.intTuple([3])
        small.opcode(PickleOpcode.reduce)
        XCTAssertEqual(try PickleReader.read(small.finish()), .bytes([0, 0, 0]))
    }

    func testNegativeConfidencesAreRefusedByTheReaders() throws {
        var sequence = try TestData.sequence(frames: 3)
        sequence.values[sequence.offset(frame: 2, joint: 1) + 2] = -0.5
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: [sequence])

        let pickled = message { _ = try PickleDataset.decode(PickleDataset.encode(dataset), name: "negative.pkl") }
        // A pickle does not carry its layout: the joint has its generic name.
        XCTAssertTrue(pickled.contains("sample 0, frame 2, joint 1 ('joint_1'): confidence is -0.5; confidences must be 0 (missing) or positive"), pickled)

        let json = message { _ = try PoseDataset(jsonBytes: try dataset.jsonBytes(), file: "negative.json") }
        XCTAssertTrue(json.contains("frame 2, joint 1 ('b'): confidence is -0.5"), json)

        let pose = message { _ = try PoseFile(bytes: try PoseFile(sequence: sequence).encoded(), file: "negative.pose").sequence() }
        XCTAssertTrue(pose.contains("confidence is -0.5"), pose)
    }

    func testAPickleIntoAMissingDirectoryNamesTheDirectory() throws {
        let directory = try TestData.temporaryDirectory(self)
        let missing = directory.appendingPathComponent("no-such-dir")
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: [try TestData.sequence(frames: 2)])
        let text = message { try PickleDataset.write(dataset, to: missing.appendingPathComponent("out.pkl")) }
        XCTAssertTrue(text.contains(missing.path), text)
        XCTAssertFalse(text.contains(".tmp-"), text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }
}
