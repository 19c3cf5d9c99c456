import Foundation
import PoseData
import XCTest
@testable import Notebook

/// The notebook on a sharded dataset: `load` maps it, the views answer from the shard headers,
/// `export … shards:` writes one, and `train` reads it batch by batch.
final class ShardedNotebookTests: XCTestCase {
    func testLoadShowExportAndTrainOnShards() throws {
        let directory = try temporaryDirectory(self)
        let shards = directory.appendingPathComponent("words-shards").path
        try evaluate("export (load \"\(DataFixtures.wordsPath)\") to \"\(shards)/\" shards: 2")
        let loaded = try value(of: "load \"\(shards)\"")
        guard case .dataset(let dataset) = loaded else { return XCTFail("expected a dataset, got \(loaded.typeName)") }
        XCTAssertTrue(dataset.isMapped)
        XCTAssertEqual(dataset, try DataFixtures.words())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: shards).filter { $0.hasSuffix(".safetensors") }.count, 2)
        XCTAssertTrue(dataset.summaryLine.hasPrefix("dataset: 3 samples (memory-mapped shards), "), dataset.summaryLine)
        let variables = ["d": loaded]
        XCTAssertEqual(try value(of: "d.texts", variables: variables).plainText, "[\"Mai\", \"Uhr\", \"Ohr\"]")
        XCTAssertEqual(try value(of: "(find d \"Ohr\").name", variables: variables).string, try DataFixtures.words()[2].name)
        let shown = try evaluate("show d", variables: variables).output
        XCTAssertTrue(shown.contains("3 distinct: Mai, Uhr, Ohr"), shown)
        guard case .dataset(let filtered) = try value(of: "filter d text: \"Uhr\"", variables: variables) else { return XCTFail() }
        XCTAssertTrue(filtered.isMapped)
        XCTAssertEqual(filtered.samples.map(\.text), ["Uhr"])

        var training = variables
        training["m"] = try value(of: "model hybrid dim: 16 depth: 1 heads: 2 mlp: 32 seed: 1")
        try evaluate("train m on d steps: 2 batch: 2", variables: training)
        XCTAssertEqual(try value(of: "m.step", variables: training).number, 2)
    }
}
