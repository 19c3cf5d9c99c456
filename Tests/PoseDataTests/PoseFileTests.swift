import Foundation
import XCTest
@testable import PoseData

/// `.pose` reading and writing against values pose-format produced.
final class PoseFileTests: XCTestCase {
    /// Compares a read file with the header and body summary the fixture script exported from pose-format.
    private func assertMatches(_ file: PoseFile, _ expected: [String: Any], file path: StaticString = #filePath, line: UInt = #line) {
        let header = expected["header"] as! [String: Any]
        let body = expected["body"] as! [String: Any]
        XCTAssertEqual(Double(file.version), header["version"] as! Double, accuracy: 1e-6, file: path, line: line)
        XCTAssertEqual(Int(file.width), header["width"] as? Int, file: path, line: line)
        XCTAssertEqual(Int(file.height), header["height"] as? Int, file: path, line: line)
        XCTAssertEqual(Int(file.depth), header["depth"] as? Int, file: path, line: line)
        let components = header["components"] as! [[String: Any]]
        XCTAssertEqual(file.components.count, components.count, file: path, line: line)
        for (component, want) in zip(file.components, components) {
            XCTAssertEqual(component.name, want["name"] as? String, file: path, line: line)
            XCTAssertEqual(component.format, want["format"] as? String, file: path, line: line)
            XCTAssertEqual(component.points.count, want["pointCount"] as? Int, file: path, line: line)
            XCTAssertEqual(component.limbs.count, want["limbCount"] as? Int, file: path, line: line)
            XCTAssertEqual(component.colors.count, want["colorCount"] as? Int, file: path, line: line)
            XCTAssertEqual(Array(component.points.prefix(3)), want["firstPoints"] as? [String], file: path, line: line)
            XCTAssertEqual(component.limbs.prefix(3).map { [Int($0.from), Int($0.to)] }, want["firstLimbs"] as? [[Int]], file: path, line: line)
            XCTAssertEqual(component.colors.first.map { [Int($0.red), Int($0.green), Int($0.blue)] } ?? [], want["firstColor"] as? [Int], file: path, line: line)
        }
        XCTAssertEqual(Double(file.fps), body["fps"] as! Double, accuracy: 1e-6, file: path, line: line)
        XCTAssertEqual(file.frameCount, body["frameCount"] as? Int, file: path, line: line)
        XCTAssertEqual(file.peopleCount, body["peopleCount"] as? Int, file: path, line: line)
        XCTAssertEqual(file.dimensionCount, body["dimensionCount"] as? Int, file: path, line: line)
        let dims = file.dimensionCount
        let sums = (0..<dims).map { d in stride(from: d, to: file.data.count, by: dims).reduce(0.0) { $0 + Double(file.data[$1]) } }
        for (sum, want) in zip(sums, (body["dataSums"] as! [Any]).doubles) {
            XCTAssertEqual(sum, want, accuracy: 1e-6 * max(1, abs(want)), file: path, line: line)
        }
        XCTAssertEqual(file.confidence.reduce(0.0) { $0 + Double($1) }, body["confidenceSum"] as! Double, accuracy: 1e-6, file: path, line: line)
        XCTAssertEqual(file.confidence.filter { $0 == 0 }.count, body["missingCount"] as? Int, file: path, line: line)
        let first = (body["firstPoint"] as! [Any]).doubles
        XCTAssertEqual(file.data.prefix(dims).map(Double.init) + [Double(file.confidence[0])], first, file: path, line: line)
        let last = (body["lastPoint"] as! [Any]).doubles
        XCTAssertEqual(file.data.suffix(dims).map(Double.init) + [Double(file.confidence.last!)], last, file: path, line: line)
    }

    func testReadsHolisticCutAsPoseFormatDoes() throws {
        let file = try PoseFile(contentsOf: TestData.fixture("holistic-cut.pose"))
        assertMatches(file, try TestData.json("holistic-cut.expected.json") as! [String: Any])
    }

    func testReadWriteReadIsLosslessAndByteIdenticalToPoseFormat() throws {
        let bytes = try [UInt8](Data(contentsOf: TestData.fixture("holistic-cut.pose")))
        let file = try PoseFile(bytes: bytes)
        let written = try file.encoded()
        XCTAssertEqual(written, bytes, "pose-format's own file should be reproduced byte for byte")
        XCTAssertEqual(try PoseFile(bytes: written), file)

        let directory = try TestData.temporaryDirectory(self)
        let url = directory.appendingPathComponent("copy.pose")
        try file.write(to: url)
        XCTAssertEqual(try PoseFile(contentsOf: url), file)
    }

    func testReadsVersion01() throws {
        let file = try PoseFile(contentsOf: TestData.fixture("version01.pose"))
        assertMatches(file, try TestData.json("version01.expected.json") as! [String: Any])
        XCTAssertEqual(file.components[1].format, "XYZC")
        // Written back as 0.2, it keeps every value.
        var again = try PoseFile(bytes: try file.encoded())
        XCTAssertEqual(again.version, 0.2)
        again.version = file.version
        XCTAssertEqual(again, file)
    }

    func testVersion01TwoPeopleSequencePicksPerson() throws {
        let file = try PoseFile(contentsOf: TestData.fixture("version01.pose"))
        let second = try file.sequence(person: 1)
        XCTAssertEqual(second.layout.joints, ["BODY.A", "BODY.B", "BODY.C", "HAND.W", "HAND.T"])
        XCTAssertEqual(second.layout.bones, [Layout.Bone(0, 1), Layout.Bone(1, 2), Layout.Bone(3, 4)])
        // Person 1 of frame 0 starts after person 0's five points of three values.
        let point = second.point(frame: 0, joint: 0)
        XCTAssertEqual(point.x, file.data[15])
        XCTAssertEqual(point.y, file.data[16])
        XCTAssertEqual(point.confidence, file.confidence[5])
        XCTAssertThrowsError(try file.sequence(person: 2))
        XCTAssertEqual(try file.sequences(), [try file.sequence(person: 0), second])
    }

    func testReadsPoseFormatOpenPoseAsOpenPose137() throws {
        let expected = try TestData.json("openpose-posefmt.expected.json") as! [String: Any]
        let file = try PoseFile(contentsOf: TestData.fixture("openpose-posefmt.pose"))
        assertMatches(file, expected)
        XCTAssertEqual(file.components, OpenPoseComponents.components, "our OpenPose components must be pose-format's")
        let sequence = try file.sequence()
        XCTAssertEqual(sequence.layout, .openPose137)
        XCTAssertEqual(sequence.fps, 25)
        XCTAssertEqual(sequence.values.map(Double.init), (expected["values"] as! [Any]).doubles)
    }

    func testOpenPose137SequenceWritesPoseFormatComponents() throws {
        let original = try PoseFile(contentsOf: TestData.fixture("openpose-posefmt.pose")).sequence()
        let file = try PoseFile(sequence: original)
        XCTAssertEqual(file.components.map(\.name), ["pose_keypoints_2d", "face_keypoints_2d", "hand_left_keypoints_2d", "hand_right_keypoints_2d"])
        XCTAssertEqual(file.components, OpenPoseComponents.components)
        let back = try PoseFile(bytes: try file.encoded()).sequence()
        XCTAssertEqual(back, original)
    }

    func testGenericLayoutRoundTripKeepsPartsAndBonesWithinParts() throws {
        let sequence = try TestData.sequence(frames: 4, fps: 12.5, missing: { t, j in t == 1 && j == 2 })
        let file = try PoseFile(sequence: sequence)
        XCTAssertEqual(file.components.map(\.name), ["upper", "lower"])
        XCTAssertEqual(file.components.map(\.points), [["a", "b"], ["c", "d"]])
        XCTAssertEqual(file.components.map(\.limbs), [[PoseFile.Limb(0, 1)], [PoseFile.Limb(0, 1)]])
        let back = try PoseFile(bytes: try file.encoded()).sequence()
        XCTAssertEqual(back.values, sequence.values)
        XCTAssertEqual(back.fps, 12.5)
        XCTAssertEqual(back.layout.joints, ["upper.a", "upper.b", "lower.c", "lower.d"])
        // The cross-part bone 1–2 has no place in .pose.
        XCTAssertEqual(back.layout.bones, [Layout.Bone(0, 1), Layout.Bone(2, 3)])
        // A layout read from .pose writes the same point names again.
        XCTAssertEqual(try PoseFile(sequence: back).components.map(\.points), [["a", "b"], ["c", "d"]])
    }

    func testSequenceFromHolisticKeepsItsOwnLayout() throws {
        let sequence = try PoseFile(contentsOf: TestData.fixture("holistic-cut.pose")).sequence()
        XCTAssertEqual(sequence.jointCount, 33 + 478 + 21 + 21 + 33)
        XCTAssertEqual(sequence.layout.joints[0], "POSE_LANDMARKS.NOSE")
        XCTAssertEqual(sequence.layout.parts.map(\.name),
                       ["POSE_LANDMARKS", "FACE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS", "POSE_WORLD_LANDMARKS"])
        XCTAssertEqual(sequence.frameCount, 3)
        XCTAssertEqual(sequence.fps, 30)
    }

    /// A whole recorded clip (MediaPipe Holistic, 21 frames) reads as pose-format reads it and
    /// re-encodes byte for byte.
    func testRecordedPoseFileReadsAsPoseFormatReadsIt() throws {
        let expected = try TestData.json("holistic-ase-a.expected.json") as! [[String: Any]]
        XCTAssertEqual(expected.count, 1)
        for entry in expected {
            let url = TestData.fixture(entry["file"] as! String)
            let file = try PoseFile(contentsOf: url)
            assertMatches(file, entry)
            XCTAssertEqual(try file.encoded(), try [UInt8](Data(contentsOf: url)), "\(url.lastPathComponent) should re-encode byte for byte")
        }
    }

    func testRejectsWhatIsNotAPoseFile() {
        XCTAssertThrowsError(try PoseFile(bytes: Array("{\"layout\": 1}".utf8), file: "x.pose")) { error in
            XCTAssertTrue("\(error)".contains("is not a .pose version"), "\(error)")
        }
        XCTAssertThrowsError(try PoseFile(bytes: [0, 0, 0, 0, 1, 0], file: "old.pose")) { error in
            XCTAssertTrue("\(error)".contains("version 0.0 is not supported"), "\(error)")
        }
        XCTAssertThrowsError(try PoseFile(bytes: [], file: "empty.pose")) { error in
            XCTAssertTrue("\(error)".contains("empty.pose at byte 0"), "\(error)")
        }
    }

    func testTruncatedBodyNamesTheShortfall() throws {
        let bytes = try [UInt8](Data(contentsOf: TestData.fixture("holistic-cut.pose")))
        XCTAssertThrowsError(try PoseFile(bytes: Array(bytes.dropLast(5)), file: "cut.pose")) { error in
            guard case .malformed(let file, let offset, let message) = error as? PoseDataError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(file, "cut.pose")
            XCTAssertNotNil(offset)
            XCTAssertTrue(message.contains("3 frames × 1 people × 586 points"), message)
        }
    }

    func testHugeDeclaredFrameCountIsRejectedBeforeAllocating() throws {
        var bytes = try [UInt8](Data(contentsOf: TestData.fixture("openpose-posefmt.pose")))
        // The frame count (UInt32) sits 4 bytes after the body's start: after the header, the fps.
        let file = try PoseFile(bytes: bytes)
        let bodyStart = bytes.count - (file.data.count + file.confidence.count) * 4 - 10
        for i in 0..<4 { bytes[bodyStart + 4 + i] = 0xFF }
        XCTAssertThrowsError(try PoseFile(bytes: bytes)) { error in
            XCTAssertTrue("\(error)".contains("4294967295 frames"), "\(error)")
        }
    }

    func testNonFinitePresentValueIsAnError() throws {
        var file = try PoseFile(contentsOf: TestData.fixture("openpose-posefmt.pose"))
        let present = file.confidence.firstIndex { $0 > 0 }!
        file.data[present * 2] = .nan
        XCTAssertThrowsError(try file.sequence()) { error in
            XCTAssertTrue("\(error)".contains("non-finite"), "\(error)")
        }
        let missing = file.confidence.firstIndex { $0 == 0 }!
        file.data[present * 2] = 1
        file.data[missing * 2] = .infinity
        XCTAssertEqual(try file.sequence().values[missing * 3], 0)
    }
}
