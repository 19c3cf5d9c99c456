import Evaluation
import Foundation
import PoseData
import TestSupport
import Tensors
import XCTest

/// The twin's dev evaluation uses the same DTW-MJE as `Sources/Evaluation`: on fixed OpenPose-137
/// pairs of different lengths (with missing joints, and a reference frame showing nothing) the twin's
/// `metrics.compare` gives Swift's DTW-MJE, its normalised and hands variants and MJE.
final class TwinMetricsTests: XCTestCase {
    func testTwinMetricsEqualSwiftMetrics() throws {
        var rng = RandomGenerator(seed: 21)
        let layout = Layout.openPose137
        func sequence(frames: Int, blankFrame: Int? = nil) throws -> PoseSequence {
            var values: [Float] = []
            for f in 0..<frames {
                for _ in 0..<layout.jointCount {
                    let visible = rng.uniform() > 0.2 && f != blankFrame
                    values += [200 + 40 * rng.normal(), 150 + 40 * rng.normal(), visible ? 0.3 + 0.7 * rng.uniform() : 0]
                }
            }
            return try PoseSequence(layout: layout, fps: 12.5, values: values)
        }
        let pairs = [(try sequence(frames: 7), try sequence(frames: 9, blankFrame: 4)),
                     (try sequence(frames: 12), try sequence(frames: 5)),
                     (try sequence(frames: 1), try sequence(frames: 3))]
        var generated: [PoseSequence] = [], references: [PoseSequence] = []
        for (g, r) in pairs { generated.append(g); references.append(r) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hybridsign-twin-metrics-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try PoseDataset(layout: layout, samples: generated).writeJSON(to: directory.appendingPathComponent("generated.json"))
        try PoseDataset(layout: layout, samples: references).writeJSON(to: directory.appendingPathComponent("references.json"))
        let script = """
            import json, sys
            from hybridsign_torch.metrics import compare
            from hybridsign_torch.poses import read_json_dataset
            g, r = read_json_dataset(sys.argv[1]), read_json_dataset(sys.argv[2])
            out = []
            for a, b in zip(g.samples, r.samples):
                m = compare(a.values, b.values, r.layout)
                out.append([m.dtw_mje, m.dtw_mje_normalized, m.dtw_mje_hands, m.mje])
            print(json.dumps(out))
            """
        let output = try PythonReference.run(script, arguments: [directory.appendingPathComponent("generated.json").path,
                                                                 directory.appendingPathComponent("references.json").path])
        let twin = try JSONSerialization.jsonObject(with: output) as! [[Any]]
        XCTAssertEqual(twin.count, pairs.count)
        for (index, (g, r)) in pairs.enumerated() {
            let swift = try XCTUnwrap(try SequenceMetrics.compare(g, with: r))
            let figures: [Double?] = [swift.dtwMJE, swift.dtwMJENormalized, swift.dtwMJEHands, swift.mje]
            for (k, value) in figures.enumerated() {
                let other = twin[index][k] as? Double
                XCTAssertEqual(value == nil, other == nil, "pair \(index), figure \(k): present in one engine only")
                if let value, let other {
                    XCTAssertEqual(other, value, accuracy: 1e-9 * max(1, abs(value)), "pair \(index), figure \(k)")
                }
            }
        }
    }
}
