import Foundation
import HybridSign
import XCTest

/// The bundled multilingual pair (issue 16): two models that differ only in the objective, and
/// sign the bundled test words in each recording's own language far closer than without it.
/// The bounds sit a little above what these files score on this subset (hybrid 10.31, `ar` 12.00
/// with the signer; 23.2 and 24.2 free), so a broken file, signer lookup or sampler fails here.
final class BundledMultilingualModelsTests: XCTestCase {
    private static func model(_ mode: ModelMode) -> URL {
        repositoryRoot.appendingPathComponent("data/models/multilingual-\(mode.rawValue).safetensors")
    }

    func testThePairDiffersOnlyInTheObjective() throws {
        let hybrid = try HybridSignModel.load(contentsOf: Self.model(.hybrid))
        let ar = try HybridSignModel.load(contentsOf: Self.model(.ar))
        XCTAssertEqual(hybrid.config.mode, .hybrid)
        XCTAssertEqual(ar.config.mode, .ar)
        var arAsHybrid = ar.config
        arAsHybrid.mode = .hybrid
        XCTAssertEqual(arAsHybrid, hybrid.config, "same preset, signer dropout, history noise and seed")
        XCTAssertEqual(hybrid.signers.count, 16, "the 16 language codes")
        XCTAssertEqual(hybrid.signers, ar.signers)
    }

    func testGivingTheLanguageBringsBothModelsCloseToTheRecording() throws {
        let test = repositoryRoot.appendingPathComponent("data/multilingual/test.pkl.gz").path
        for (mode, bound) in [(ModelMode.hybrid, 11.0), (.ar, 13.0)] {
            let signed = try dtwMJE(["eval", Self.model(mode).path, "--data", test, "--signer", "own", "--json"])
            let free = try dtwMJE(["eval", Self.model(mode).path, "--data", test, "--json"])
            XCTAssertLessThan(signed, bound, "\(mode.rawValue) with each sample's language")
            XCTAssertLessThan(signed, 0.6 * free, "\(mode.rawValue): the language must matter")
        }
    }

    private func dtwMJE(_ arguments: [String]) throws -> Double {
        let (status, text) = try runHybridsign(arguments)
        XCTAssertEqual(status, 0, text)
        let report = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return try XCTUnwrap(report?["dtw_mje"] as? Double, text)
    }
}
