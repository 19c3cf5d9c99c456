import Foundation
import TestSupport
import XCTest
@testable import PoseData

/// Real pickles load with Python's values: the bundled word data (data/words), and a file in the
/// HybridSign authors' format written by the installed torch.
final class BundledPickleTests: XCTestCase {
    func testBundledWordDataMatchesPython() throws {
        let object = try PickleTestSupport.json(PickleTestSupport.testsDirectory.appendingPathComponent("Fixtures/words-expected.json"))
        let table = try XCTUnwrap(object as? [String: Any])
        let columns = try XCTUnwrap(table["columns"] as? [String])
        let files = try XCTUnwrap(table["files"] as? [String: [[Any]]])
        XCTAssertEqual(files.keys.sorted(), ["data/words/dev.pkl", "data/words/test.pkl"])
        for (relative, rows) in files.sorted(by: { $0.key < $1.key }) {
            let dataset = try PickleDataset.load(contentsOf: PythonReference.repositoryRoot.appendingPathComponent(relative))
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
                PickleTestSupport.check(sequence, against: figures, "\(relative) sample \(index)")
            }
        }
    }

    /// `pickle.dump` of a list of `{"keypoints": FloatTensor (T, 137, 3), "sentence": FloatTensor
    /// (1, L, 768)}`, as the authors' data loader expects, written by torch now: the reader keeps
    /// up with the torch the tests install.
    func testAuthorsTorchFormatWrittenByTorchMatchesItsValues() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("authors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("authors-torch.pkl")
        let script = """
        import json, pickle, sys, torch
        samples = pickle.load(open(sys.argv[1], "rb"))[:4]
        generator = torch.Generator().manual_seed(0)
        items = [{"keypoints": torch.from_numpy(s["pose"]).float(),
                  "sentence": torch.randn(1, 3 + i, 768, generator=generator)} for i, s in enumerate(samples)]
        with open(sys.argv[2], "wb") as file:
            pickle.dump(items, file)
        print(json.dumps([{"frames": int(item["keypoints"].shape[0]),
                           "sums": [float(item["keypoints"][..., c].double().sum()) for c in range(3)],
                           "sentence_shape": list(item["sentence"].shape),
                           "sentence_sum": float(item["sentence"].double().sum())} for item in items]))
        """
        let words = PythonReference.repositoryRoot.appendingPathComponent("data/words/test.pkl").path
        let output = try PythonReference.run(script, arguments: [words, url.path])
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
        let dataset = try PickleDataset.load(contentsOf: url)
        XCTAssertEqual(dataset.count, 4)
        for (sequence, figures) in zip(dataset.samples, expected) {
            let summary = PickleTestSupport.Summary(sequence)
            XCTAssertEqual(summary.frames, figures["frames"] as? Int)
            let sums = try XCTUnwrap(figures["sums"] as? [Double])
            PickleTestSupport.assertClose(summary.sumX, sums[0], "sum_x")
            PickleTestSupport.assertClose(summary.sumY, sums[1], "sum_y")
            PickleTestSupport.assertClose(summary.sumC, sums[2], "sum_c")
            XCTAssertEqual(sequence.textFeatures.map { [1, $0.rows, $0.width] }, figures["sentence_shape"] as? [Int])
            let sum = sequence.textFeatures?.values.reduce(0.0) { $0 + Double($1) } ?? .nan
            PickleTestSupport.assertClose(sum, figures["sentence_sum"] as? Double ?? .nan, "sentence_sum")
        }
    }
}
