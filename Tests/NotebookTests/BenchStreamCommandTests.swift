import Foundation
import XCTest

/// `hybridsign bench stream`: the JSON line, the profile of one extra sequence with the linear
/// layers' rate, and the refusal to profile a batch.
final class BenchStreamCommandTests: XCTestCase {
    func testProfileAddsTheOpsOfOneSequenceBesideTheJSON() throws {
        let run = try runHybridsign(["bench", "stream", "--preset", "small", "--frames", "3", "--runs", "1", "--profile", "--json"])
        XCTAssertEqual(run.status, 0, run.text)
        let lines = run.text.split(separator: "\n")
        let json = try XCTUnwrap(lines.first { $0.hasPrefix("{") }, run.text)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertNotNil(object["fps"] as? Double, run.text)
        XCTAssertNotNil(object["ttff_s"] as? Double, run.text)
        let linear = try XCTUnwrap(lines.first { $0.hasPrefix("linear ") }, run.text)
        XCTAssertTrue(linear.hasSuffix("GFLOP/s"), String(linear))
        XCTAssertTrue(lines.contains { $0.hasPrefix("kvCacheAttention ") }, run.text)
    }

    func testABatchIsNotProfiled() throws {
        let run = try runHybridsign(["bench", "stream", "--preset", "small", "--batch", "2", "--profile"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.text.contains("--profile times one stream: leave out --batch"), run.text)
    }
}
