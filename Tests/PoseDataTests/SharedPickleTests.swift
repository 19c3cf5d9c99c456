import Foundation
import XCTest
@testable import PoseData

/// The shared data files (../shared/data) load with Python's values; skipped when absent.
final class SharedPickleTests: XCTestCase {
    func testSharedFilesMatchPython() throws {
        let root = PickleTestSupport.sharedData
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw XCTSkip("shared data not found at \(root.path)")
        }
        let object = try PickleTestSupport.json(PickleTestSupport.testsDirectory.appendingPathComponent("Fixtures/shared-expected.json"))
        let table = try XCTUnwrap(object as? [String: Any])
        let columns = try XCTUnwrap(table["columns"] as? [String])
        let files = try XCTUnwrap(table["files"] as? [String: [[Any]]])
        for (relative, rows) in files.sorted(by: { $0.key < $1.key }) {
            let url = root.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let dataset = try PickleDataset.load(contentsOf: url)
            XCTAssertEqual(dataset.count, rows.count, relative)
            XCTAssertEqual(dataset.layout, Layout.openPose137, relative)
            for (index, (sequence, row)) in zip(dataset.samples, rows).enumerated() {
                var figures: [String: Any] = [:]
                for (column, value) in zip(columns, row) where !(value is NSNull) { figures[column] = value }
                // JSON numbers arrive as NSNumber; give the checker Double and Int as it expects.
                for key in ["fps", "sum_x", "sum_y", "sum_c", "checksum", "sentence_sum"] {
                    if let number = figures[key] as? NSNumber { figures[key] = number.doubleValue }
                }
                for key in ["frames", "joints"] {
                    if let number = figures[key] as? NSNumber { figures[key] = number.intValue }
                }
                if figures["sentence_sum"] != nil, let features = sequence.textFeatures {
                    figures["sentence_shape"] = [1, features.rows, features.width]
                }
                PickleTestSupport.check(sequence, against: figures, "\(relative) sample \(index)")
            }
        }
    }

    func testAuthorsFileMatchesItsOwnExpectedJSON() throws {
        let directory = PickleTestSupport.sharedData.appendingPathComponent("pickle-formats")
        let url = directory.appendingPathComponent("authors-torch.pkl")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("shared authors file not found") }
        let expected = try XCTUnwrap(try PickleTestSupport.json(directory.appendingPathComponent("authors-torch.expected.json")) as? [[String: Any]])
        let dataset = try PickleDataset.load(contentsOf: url)
        XCTAssertEqual(dataset.count, expected.count)
        for (sequence, figures) in zip(dataset.samples, expected) {
            let summary = PickleTestSupport.Summary(sequence)
            XCTAssertEqual(summary.frames, figures["frames"] as? Int)
            PickleTestSupport.assertClose(summary.sumX, figures["sum_x"] as? Double ?? .nan, "sum_x")
            PickleTestSupport.assertClose(summary.sumY, figures["sum_y"] as? Double ?? .nan, "sum_y")
            PickleTestSupport.assertClose(summary.sumC, figures["sum_c"] as? Double ?? .nan, "sum_c")
            let shape = try XCTUnwrap(figures["sentence_shape"] as? [Int])
            XCTAssertEqual(sequence.textFeatures.map { [1, $0.rows, $0.width] }, shape)
            let sum = sequence.textFeatures?.values.reduce(0.0) { $0 + Double($1) } ?? .nan
            PickleTestSupport.assertClose(sum, figures["sentence_sum"] as? Double ?? .nan, "sentence_sum")
        }
    }
}
