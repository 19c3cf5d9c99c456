import XCTest
import PoseData
@testable import Evaluation

/// The nearest-realisation and diversity figures against values worked out by hand: shoulders
/// exact, only the one-joint hand moves, so a hand h units off costs h / 3 per frame (3 joints).
final class NearestRealisationTests: XCTestCase {
    private let layout = Layout(
        name: "mini", joints: ["right_shoulder", "left_shoulder", "right_hand_wrist"],
        parts: [.init(name: "body", joints: [0, 1]), .init(name: "right_hand", joints: [2])],
        bones: [.init(0, 1)])

    /// Three frames with the hand held at x = `hand`.
    private func held(_ hand: Float, text: String?) throws -> PoseSequence {
        try PoseSequence(layout: layout, fps: 25, values: (0..<3).flatMap { _ in [0, 0, 1, 10, 0, 1, hand, 5, 1] as [Float] }, text: text)
    }

    func testNearestPicksTheClosestRealisation() throws {
        let candidates = [try held(0, text: "w"), try held(6, text: "w")]
        let near = try XCTUnwrap(NearestRealisation.nearest(try held(5, text: "w"), among: candidates))
        XCTAssertEqual(near.index, 1)
        XCTAssertEqual(near.dtwMJE, 1.0 / 3, accuracy: 1e-9)
        XCTAssertNil(try NearestRealisation.nearest(try held(5, text: "w"), among: []))
    }

    func testDatasetNearestUsesEveryReferenceOfTheSameText() throws {
        let a = try held(0, text: "w"), b = try held(6, text: "w"), c = try held(6, text: "v")
        // g1 is paired with a (2 off: 2/3); g2 is paired with a too but is b exactly.
        let g1 = try held(2, text: "w"), g2 = try held(6, text: "w")
        let m = try XCTUnwrap(DatasetMetrics.compare(generated: [g1, g2], references: [a, a], realisations: [a, b, c]))
        XCTAssertEqual(m.dtwMJE, (2.0 / 3 + 2) / 2, accuracy: 1e-9)       // today's figure: the paired reference
        XCTAssertEqual(try XCTUnwrap(m.dtwMJENearest), (2.0 / 3 + 0) / 2, accuracy: 1e-9)
        // c has another text: it is never a realisation of "w", though g2 equals it too.
        let own = try XCTUnwrap(DatasetMetrics.compare(generated: [g2], references: [a], realisations: [a, c]))
        XCTAssertEqual(try XCTUnwrap(own.dtwMJENearest), 2, accuracy: 1e-9)
        // Without a pool the references are the pool.
        let plain = try XCTUnwrap(DatasetMetrics.compare(generated: [g1, g2], references: [a, b]))
        XCTAssertEqual(try XCTUnwrap(plain.dtwMJENearest), (2.0 / 3 + 0) / 2, accuracy: 1e-9)
    }

    func testDiversityCountsDistinctNearestAndPairwiseDistance() throws {
        let w = [try held(0, text: "w"), try held(6, text: "w")]
        let v = [try held(0, text: "v")]
        let wSamples = [try held(2, text: "w"), try held(6, text: "w"), try held(5, text: "w")]  // nearest: 0, 1, 1
        let vSamples = [try held(0, text: "v"), try held(0, text: "v")]
        let d = try XCTUnwrap(DiversityMetrics.measure(samples: [wSamples, vSamples], realisations: [w, v]))
        XCTAssertEqual(d.distinctNearest, (2 + 1) / 2, accuracy: 1e-9)
        // "w" pairs: |2−6| = 4, |2−5| = 3, |6−5| = 1 hand units → (4 + 3 + 1) / 3 / 3 = 8/9; "v": 0.
        XCTAssertEqual(try XCTUnwrap(d.pairwiseDTWMJE), (8.0 / 9 + 0) / 2, accuracy: 1e-9)
        // Nearest distances 2/3, 0, 1/3, 0, 0 over five samples.
        XCTAssertEqual(d.nearestDTWMJE, 1.0 / 5, accuracy: 1e-9)
        XCTAssertEqual(d.texts, 2)
        XCTAssertEqual(d.seeds, 3)
    }

    func testDiversityOfIdenticalSamplesIsOneRealisationAndNoSpread() throws {
        let w = [try held(0, text: "w"), try held(6, text: "w")]
        let same = try (0..<4).map { _ in try held(1, text: "w") }
        let d = try XCTUnwrap(DiversityMetrics.measure(samples: [same], realisations: [w]))
        XCTAssertEqual(d.distinctNearest, 1)
        XCTAssertEqual(try XCTUnwrap(d.pairwiseDTWMJE), 0, accuracy: 1e-12)
    }

    func testDiversityWithoutUsableReferencesIsNil() throws {
        XCTAssertNil(try DiversityMetrics.measure(samples: [[try held(1, text: "w")]], realisations: [[]]))
    }
}
