import Evaluation
import Foundation
import PoseData
import XCTest
@testable import Notebook

final class CompareVerbTests: XCTestCase {
    private func compared(_ statement: String, variables: [String: Value]) throws -> Table {
        guard case .table(let table) = try value(of: statement, variables: variables) else { throw NotebookError("not a table") }
        return table
    }

    func testTwoSamplesGiveOneRowOfMetrics() throws {
        let words = try DataFixtures.words()
        let table = try compared("compare d[1] vs d[2]", variables: ["d": .dataset(words)])
        XCTAssertEqual(table.columns, ["a", "b", "frames_a", "frames_b", "dtw_mje", "dtw_mje_norm", "dtw_mje_hands", "mje"])
        XCTAssertEqual(table.rows.count, 1)
        let expected = try XCTUnwrap(try SequenceMetrics.compare(words[1], with: words[2]))
        let row = table.rows[0]
        XCTAssertEqual(row[0].string, "gsg-uhr-0")
        XCTAssertEqual(row[1].string, "gsg-ohr-0")
        XCTAssertEqual(row[2].number, 12)
        XCTAssertEqual(row[4].number, expected.dtwMJE)
        XCTAssertEqual(row[5].number, try XCTUnwrap(expected.dtwMJENormalized))
        XCTAssertEqual(row[6].number, try XCTUnwrap(expected.dtwMJEHands))
        XCTAssertEqual(row[7].number, expected.mje)
        XCTAssertGreaterThan(expected.dtwMJE, 0)
        let same = try compared("compare d[1] vs d[1]", variables: ["d": .dataset(words)])
        XCTAssertEqual(same.rows[0][4].number, 0, "a sample is at distance 0 from itself")
        XCTAssertEqual(try value(of: "(compare d[1] vs d[2]).dtw_mje[0]", variables: ["d": .dataset(words)]).number, expected.dtwMJE)
    }

    func testDatasetsPairByNameAndAverage() throws {
        let words = try DataFixtures.words()
        // The same words in another order: pairing by name finds each word's twin.
        let reversed = try PoseDataset(layout: words.layout, samples: words.samples.reversed())
        let table = try compared("compare a vs b", variables: ["a": .dataset(words), "b": .dataset(reversed)])
        XCTAssertEqual(table.rows.count, 4)
        XCTAssertEqual(table.column("dtw_mje")?.compactMap(\.number), [0, 0, 0, 0])
        XCTAssertTrue(table.title?.contains("paired by name") == true, table.title ?? "")
        XCTAssertEqual(table.rows[3][0].string, "mean")

        // Without names the samples pair by position; the mean row is DatasetMetrics' mean.
        func unnamed(_ dataset: PoseDataset) throws -> PoseDataset {
            try dataset.map { sample throws(PoseDataError) in var copy = sample; copy.name = nil; return copy }
        }
        let shifted = try PoseDataset(layout: words.layout, samples: [words[1], words[2], words[0]])
        let byPosition = try compared("compare a vs b", variables: ["a": .dataset(try unnamed(words)), "b": .dataset(try unnamed(shifted))])
        XCTAssertTrue(byPosition.title?.contains("paired by position") == true)
        let expected = try XCTUnwrap(try DatasetMetrics.compare(generated: Array(words.samples), references: Array(shifted.samples)))
        XCTAssertEqual(try XCTUnwrap(byPosition.rows.last?[4].number), expected.dtwMJE, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(byPosition.rows.last?[7].number), expected.mje, accuracy: 1e-12)
    }

    func testMismatchesAreClearErrors() throws {
        let variables: [String: Value] = ["d": .dataset(try DataFixtures.words()), "t": .dataset(try tinyDataset()),
                                          "x": .sample(try tinySample(frames: 3))]
        let layouts = try XCTUnwrap(failureLocation("compare d vs t", variables: variables))
        XCTAssertEqual(layouts.message, "cannot compare a 'openpose137' dataset with a 'tiny' dataset: the layouts differ")
        XCTAssertEqual(layouts.at, "1:14")
        let samples = try XCTUnwrap(failureLocation("compare d[0] vs x", variables: variables))
        XCTAssertTrue(samples.message.hasPrefix("cannot compare gsg-mai-0 with s1: cannot compare a 'openpose137' sequence with a 'tiny' reference"), samples.message)
        let mixed = try XCTUnwrap(failureLocation("compare d[0] vs d", variables: variables))
        XCTAssertEqual(mixed.message, "compare needs two samples or two datasets, got a sample and a dataset")
        XCTAssertEqual(failureLocation("compare d[0]", variables: variables)?.message,
                       "compare needs 'vs SAMPLE|DATASET' (the reference sample or dataset)")
    }

    func testMeanPoseBaselineIsShapedLikeTheReferences() throws {
        let variables: [String: Value] = ["d": .dataset(try DataFixtures.words())]
        XCTAssertEqual(try value(of: "(meanpose d like: d).lengths", variables: variables).list?.compactMap(\.number), [12, 12, 12])
        XCTAssertEqual(try value(of: "(meanpose d like: d[0]).text", variables: variables).string, "Mai")
        XCTAssertEqual(try value(of: "(meanpose d frames: 5).frames", variables: variables).number, 5)
        guard case .sample(let still) = try value(of: "meanpose d like: d[1]", variables: variables),
              case .dataset(let words) = variables["d"] else { return XCTFail("expected a sample") }
        let mean = try XCTUnwrap(MeanPoseBaseline(fitting: words))
        XCTAssertEqual(still.frameCount, 12)
        XCTAssertEqual(Array(still.values[0..<(137 * 3)]), mean.frame)
        XCTAssertEqual(Array(still.values[(11 * 137 * 3)...]), mean.frame, "held still")
        // Joint 4 (right wrist) is the confidence-weighted mean over all 36 frames.
        var sums = (x: 0.0, y: 0.0, c: 0.0)
        for sample in words.samples {
            for frame in 0..<sample.frameCount {
                let point = sample.point(frame: frame, joint: 4)
                sums.x += Double(point.x * point.confidence); sums.y += Double(point.y * point.confidence); sums.c += Double(point.confidence)
            }
        }
        XCTAssertEqual(Double(still.point(frame: 0, joint: 4).x), sums.x / sums.c, accuracy: 1e-3)
        XCTAssertEqual(Double(still.point(frame: 0, joint: 4).y), sums.y / sums.c, accuracy: 1e-3)
        let table = try compared("compare (meanpose d like: d) vs d", variables: variables)
        XCTAssertEqual(table.rows.count, 4)
        XCTAssertGreaterThan(try XCTUnwrap(table.rows[3][4].number), 0)
    }
}
