import Foundation
import XCTest

/// `hybridsign bench train`: the JSON line names the kernel path and how the products ran.
final class BenchTrainCommandTests: XCTestCase {
    func testTheJSONNamesThePrecisionOfTheProducts() throws {
        for (precision, expected) in [("fp32", ["fp32"]), ("bf16", ["bf16 kernel", "bf16 emulated"])] {
            let run = try runHybridsign(["bench", "train", "--preset", "small", "--batch", "2", "--frames", "8", "--steps", "1",
                                         "--precision", precision, "--json"])
            XCTAssertEqual(run.status, 0, run.text)
            let json = try XCTUnwrap(run.text.split(separator: "\n").first { $0.hasPrefix("{") }, run.text)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            XCTAssertGreaterThan(object["tokens_per_s"] as? Double ?? 0, 0, run.text)
            XCTAssertTrue(expected.contains(object["precision"] as? String ?? ""), run.text)
        }
    }

    func testAnUnknownPrecisionIsRefusedWithTheChoices() throws {
        let run = try runHybridsign(["bench", "train", "--preset", "small", "--precision", "fp16"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.text.contains("fp32") && run.text.contains("bf16"), run.text)
    }
}
