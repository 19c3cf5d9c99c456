import Foundation
import HybridSign
import PoseData
import XCTest
@testable import Notebook

/// `signers: true`, `signer:` on `sample`, `stream` and `eval`, and the model's sampling defaults,
/// on the bundled multilingual data (each word in two sign languages).
final class SignerVerbTests: XCTestCase {
    /// `ml` (the first 6 samples of data/multilingual/dev.pkl.gz) and `sm`, a tiny signer model
    /// trained on it for 2 steps.
    private func trained() throws -> [String: Value] {
        var variables: [String: Value] = ["ml": .dataset(try firstSamples())]
        variables["sm"] = try value(of: "model hybrid dim: 16 depth: 1 heads: 2 mlp: 16 signers: true seed: 1", variables: variables)
        try evaluate("train sm on ml steps: 2 batch: 2", variables: variables)
        return variables
    }

    private func firstSamples() throws -> PoseDataset {
        let all = try PoseIO.load(contentsOf: repositoryRoot.appendingPathComponent("data/multilingual/dev.pkl.gz"))
        return try PoseDataset(layout: all.layout, samples: Array(all.samples.prefix(6)))
    }

    private func model(_ value: Value?) throws -> HybridSignModel {
        guard case .object(let object)? = value, let model = (object as? ModelValue)?.model else { throw NotebookError("not a fitted model") }
        return model
    }

    func testSignerArgumentsSampleAsTheSignerAndRefuseUnknownOnes() throws {
        let variables = try trained()
        let m = try model(variables["sm"])
        let known = Set(try firstSamples().samples.compactMap(\.signer))
        XCTAssertEqual(m.signers, known.sorted())
        guard case .list(let listed) = try value(of: "sm.signers", variables: variables) else { return XCTFail("not a list") }
        XCTAssertEqual(listed.compactMap(\.string), m.signers)
        let code = m.signers[0]
        guard case .sample(let signed) = try value(of: "sample sm ml[0] signer: \"\(code)\" frames: 3 seed: 2", variables: variables) else {
            return XCTFail("not a sample")
        }
        let expected = try Sampler(model: m).sample(text: signed.text ?? "", options: SamplingOptions(seed: 2, frames: .fixed(3), signer: code))
        XCTAssertEqual(signed.values, expected.values)
        let failure = try XCTUnwrap(failureLocation("sample sm ml[0] signer: \"xyz\" frames: 3", variables: variables))
        XCTAssertEqual(failure.at, "1:25")
        XCTAssertTrue(failure.message.contains("unknown signer 'xyz'; this model knows: \(m.signers.joined(separator: ", "))"), failure.message)
        XCTAssertNotNil(failureLocation("stream sm ml[0] signer: \"xyz\" frames: 3", variables: variables))
        let evalFailure = try XCTUnwrap(failureLocation("eval sm on ml signer: \"xyz\"", variables: variables))
        XCTAssertTrue(evalFailure.message.contains("this model knows"), evalFailure.message)
        // `own` signs each sample as its reference's signer.
        guard case .table(let table) = try value(of: "eval sm on ml signer: \"own\" limit: 2", variables: variables) else {
            return XCTFail("not a table")
        }
        let direct = try EvaluationRunner(model: m, options: m.samplingDefaults.options(), signerFromReference: true)
            .run(on: try firstSamples(), limit: 2)
        XCTAssertEqual(table.column("dtw_mje")?.first?.number ?? .nan, direct.metrics!.dtwMJE, accuracy: 1e-9)
        XCTAssertEqual(table.column("dtw_mje_nearest")?.first?.number ?? .nan, direct.metrics!.dtwMJENearest!, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(direct.metrics!.dtwMJENearest!, direct.metrics!.dtwMJE)
    }

    func testSamplingDefaultsComeFromTheModelUnlessGiven() throws {
        let variables = try trained()
        let m = try model(variables["sm"])
        m.samplingDefaults = SamplingDefaults(steps: 3, temperature: 0.5)
        let shown = try evaluate("show sm", variables: variables).output
        XCTAssertTrue(shown.contains("sampling defaults: steps 3, temperature 0.5"), shown)
        XCTAssertTrue(shown.contains("signers: \(m.signers.joined(separator: ", ")) (or none)"), shown)
        let sampler = Sampler(model: m)
        func frames(_ call: String) throws -> [Float] {
            guard case .sample(let s) = try value(of: call, variables: variables) else { throw NotebookError("not a sample") }
            return s.values
        }
        let text = try firstSamples().samples[0].text ?? ""
        let byDefault = try sampler.sample(text: text, options: SamplingOptions(steps: 3, seed: 1, frames: .fixed(3), temperature: 0.5))
        XCTAssertEqual(try frames("sample sm ml[0] frames: 3 seed: 1"), byDefault.values)
        let given = try sampler.sample(text: text, options: SamplingOptions(steps: 1, seed: 1, frames: .fixed(3), temperature: 0))
        XCTAssertEqual(try frames("sample sm ml[0] frames: 3 seed: 1 steps: 1 temperature: 0"), given.values)
        XCTAssertNotEqual(byDefault.values, given.values)
    }
}
