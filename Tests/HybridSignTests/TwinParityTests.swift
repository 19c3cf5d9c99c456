import Foundation
import TestSupport
import XCTest
@testable import HybridSign

/// The PyTorch twin against the Swift model on fixtures this test writes (``TwinFixtures``):
/// initial weights from a seed, forward outputs (1e-4), losses (1e-4) and every parameter's gradient
/// including the MeanFlow JVP term (1e-3), for ar, diffusion and hybrid with part and joint tokens;
/// and a Swift checkpoint resumed in the twin, whose next step equals Swift's (1e-4).
/// Relative differences are max|a − b| / max|b| per tensor.
final class TwinParityTests: XCTestCase {
    func testTwinMatchesSwift() throws {
        // HYBRIDSIGN_TWIN_FIXTURES=DIR keeps the fixtures there (to debug the twin against them).
        let kept = ProcessInfo.processInfo.environment["HYBRIDSIGN_TWIN_FIXTURES"]
        let directory = kept.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("hybridsign-twin-parity-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        defer { if kept == nil { try? FileManager.default.removeItem(at: directory) } }
        try TwinFixtures.write(to: directory)
        let output = try PythonReference.run("import sys; from hybridsign_torch import parity; parity.main(sys.argv[1:])",
                                             arguments: [directory.path], environment: ["OMP_NUM_THREADS": "1"])
        let report = try JSONSerialization.jsonObject(with: output) as! [String: [String: Double]]
        print("twin parity (max relative differences):")
        for name in report.keys.sorted() {
            print("  \(name): " + report[name]!.keys.sorted().map { "\($0) \(String(format: "%.2e", report[name]![$0]!))" }.joined(separator: ", "))
        }
        let expected = Set(TwinFixtures.cases.map(\.name) + ["resume"])
        XCTAssertEqual(Set(report.keys), expected)
        for (name, figures) in report {
            for (key, value) in figures {
                let limit: Double = key.hasPrefix("gradient") ? 1e-3 : key.hasPrefix("init") ? 1e-6 : 1e-4
                XCTAssertLessThanOrEqual(value, limit, "\(name): \(key)")
            }
        }
        for c in TwinFixtures.cases {
            let figures = report[c.name] ?? [:]
            XCTAssertNotNil(figures["loss.total"], "\(c.name): the loss was compared")
            XCTAssertNotNil(figures["gradient (worst parameter)"], "\(c.name): gradients were compared")
            XCTAssertNotNil(figures["init"], "\(c.name): initial weights were compared")
        }
        XCTAssertNotNil(report["resume"]?["weights after the next step"])
    }
}
