import Foundation
import XCTest
@testable import PoseData

/// Paths and comparisons shared by the pickle tests.
enum PickleTestSupport {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures/pickle")

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    static func json(_ url: URL) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: url)) }

    /// The per-sample figures scripts/make_pickle_fixtures.py exports from Python.
    struct Summary {
        var frames: Int
        var joints: Int
        var sumX = 0.0, sumY = 0.0, sumC = 0.0, checksum = 0.0

        init(_ sequence: PoseSequence) {
            frames = sequence.frameCount
            joints = sequence.jointCount
            for (index, value) in sequence.values.enumerated() {
                let v = Double(value)
                switch index % 3 {
                case 0: sumX += v
                case 1: sumY += v
                default: sumC += v
                }
                checksum += v * Double(index % 7 + 1)
            }
        }
    }

    /// Asserts `actual` equals `expected` within a relative tolerance for summation order.
    static func assertClose(_ actual: Double, _ expected: Double, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let tolerance = 1e-9 * max(1, abs(expected))
        XCTAssertLessThanOrEqual(abs(actual - expected), tolerance, "\(message): \(actual) vs \(expected)", file: file, line: line)
    }

    /// Checks a loaded sample against Python's figures (a dict of the fixture's expected.json).
    static func check(_ sequence: PoseSequence, against expected: [String: Any], _ label: String,
                      file: StaticString = #filePath, line: UInt = #line) {
        let summary = Summary(sequence)
        XCTAssertEqual(summary.frames, expected["frames"] as? Int, "\(label) frames", file: file, line: line)
        XCTAssertEqual(summary.joints, expected["joints"] as? Int, "\(label) joints", file: file, line: line)
        for (key, value) in [("sum_x", summary.sumX), ("sum_y", summary.sumY), ("sum_c", summary.sumC), ("checksum", summary.checksum)] {
            assertClose(value, expected[key] as? Double ?? .nan, "\(label) \(key)", file: file, line: line)
        }
        XCTAssertEqual(sequence.name, expected["name"] as? String, "\(label) name", file: file, line: line)
        XCTAssertEqual(sequence.text, expected["text"] as? String, "\(label) text", file: file, line: line)
        XCTAssertEqual(sequence.gloss, expected["gloss"] as? String, "\(label) gloss", file: file, line: line)
        XCTAssertEqual(sequence.signer, expected["signer"] as? String, "\(label) signer", file: file, line: line)
        assertClose(sequence.fps, expected["fps"] as? Double ?? .nan, "\(label) fps", file: file, line: line)
        if let shape = expected["sentence_shape"] as? [Int] {
            XCTAssertEqual(sequence.textFeatures.map { [$0.rows, $0.width] }, Array(shape.suffix(2)), "\(label) sentence shape", file: file, line: line)
            let sum = sequence.textFeatures?.values.reduce(0.0) { $0 + Double($1) } ?? .nan
            assertClose(sum, expected["sentence_sum"] as? Double ?? .nan, "\(label) sentence sum", file: file, line: line)
        } else {
            XCTAssertNil(sequence.textFeatures, "\(label) has no sentence", file: file, line: line)
        }
    }
}
