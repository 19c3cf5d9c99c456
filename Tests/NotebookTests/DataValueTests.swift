import Foundation
import PoseData
import XCTest
@testable import Notebook

/// Members of datasets and samples, and what `show` prints for them.
final class DataValueTests: XCTestCase {
    func testDatasetAndSampleMembers() throws {
        let variables = try DataFixtures.variables()
        func member(_ text: String) throws -> Value { try value(of: text, variables: variables) }
        XCTAssertEqual(try member("d.count").number, 3)
        XCTAssertEqual(try member("d.texts").list?.compactMap(\.string), ["Mai", "Uhr", "Ohr"])
        XCTAssertEqual(try member("d.names").list?.compactMap(\.string), ["gsg-mai-0", "gsg-uhr-0", "gsg-ohr-0"])
        XCTAssertEqual(try member("d.glosses").list?.compactMap(\.string), ["M A I", "U H R", "O H R"])
        XCTAssertEqual(try member("d.signers").list?.compactMap(\.string), ["gsg"])
        XCTAssertEqual(try member("d.lengths").list?.compactMap(\.number), [12, 12, 12])
        XCTAssertEqual(try member("d.frames").number, 36)
        XCTAssertEqual(try XCTUnwrap(try member("d.duration").number), 36 / 6.25, accuracy: 1e-9)
        XCTAssertEqual(try member("d.fps").number, 6.25)
        XCTAssertEqual(try member("d[1].text").string, "Uhr")
        XCTAssertEqual(try member("s.gloss").string, "U H R")
        XCTAssertEqual(try member("s.signer").string, "gsg")
        XCTAssertEqual(try member("s.name").string, "gsg-uhr-0")
        XCTAssertEqual(try member("s.layout").string, "openpose137")
        XCTAssertEqual(try XCTUnwrap(try member("s.duration").number), 12 / 6.25, accuracy: 1e-9)
        XCTAssertEqual(try member("s.frames").number, 12)
        let error = try XCTUnwrap(failureLocation("d.lenghts", variables: variables))
        XCTAssertEqual(error.message, "a dataset has no member 'lenghts' — did you mean 'lengths'?")
        XCTAssertEqual(error.at, "1:3")
    }

    func testDatasetsJoinWithPlus() throws {
        let variables = try DataFixtures.variables()
        XCTAssertEqual(try value(of: "(d + d).count", variables: variables).number, 6)
        var other = variables
        other["t"] = .dataset(try tinyDataset())
        let error = try XCTUnwrap(failureLocation("d + t", variables: other))
        XCTAssertEqual(error.message, "cannot join a 'openpose137' dataset and a 'tiny' dataset: their layouts differ")
    }

    func testShowDatasetListsStatisticsSignersTextsAndParts() throws {
        let words = try DataFixtures.words()
        let output = try evaluate("show d rows: 2", variables: ["d": .dataset(words)]).output
        XCTAssertTrue(output.contains("samples   3\n"), output)
        XCTAssertTrue(output.contains("frames    36 in all; per sample min 12, mean 12, max 12\n"), output)
        XCTAssertTrue(output.contains("duration  0:06 in all; per sample min 1.92 s, mean 1.92 s, max 1.92 s\n"), output)
        XCTAssertTrue(output.contains("fps       6.25 fps\n"), output)
        XCTAssertTrue(output.contains("signers   gsg 3\n"), output)
        XCTAssertTrue(output.contains("texts     3 of 3 samples; 3 distinct: Mai, Uhr, Ohr\n"), output)
        // Per part, from PoseData's statistics: the left hand is removed at source in gsg data.
        let statistics = words.statistics()
        for part in statistics.parts {
            let missing = String(format: "%.1f%%", part.missingFraction * 100)
            let confidence = part.missingFraction < 1 ? formatNumber((part.meanConfidence * 1000).rounded() / 1000) : "none"
            let line = output.split(separator: "\n").first { $0.hasPrefix(part.name + " ") }
            XCTAssertNotNil(line, "no row for \(part.name) in\n\(output)")
            let cells = line.map { $0.split(separator: " ").map(String.init) } ?? []
            XCTAssertEqual(cells, [part.name, "\(part.jointCount)", missing, confidence], output)
        }
        XCTAssertTrue(output.contains("left_hand       21  100.0%              none\n"), output)
        XCTAssertTrue(output.contains("#  name       frames  seconds  signer  text\n"), output)
        XCTAssertTrue(output.contains("1  gsg-uhr-0      12     1.92  gsg     Uhr\n"), output)
        XCTAssertTrue(output.contains("first 2 of 3 samples"), output)
        XCTAssertFalse(output.contains("gsg-ohr-0"), output)
    }

    func testShowSampleListsTextsFramesExtentAndParts() throws {
        let variables = try DataFixtures.variables()
        let output = try evaluate("show s", variables: variables).output
        XCTAssertTrue(output.hasPrefix("name    gsg-uhr-0\ntext    Uhr\ngloss   U H R\nsigner  gsg\nframes  12 at 6.25 fps (1.92 s)\n"), output)
        XCTAssertTrue(output.contains("layout  openpose137, 137 joints: body 25, face 70, left_hand 21, right_hand 21\n"), output)
        XCTAssertTrue(output.contains("extent  x "), output)
        XCTAssertTrue(output.contains("right_hand      21  0.0%                   1\n"), output)
    }

    func testLongTextListsAreShortened() {
        let texts = (0..<40).map { "word\($0)" }
        let line = PoseViews.listing(texts, width: 40)
        XCTAssertTrue(line.hasPrefix("word0, word1, word2"), line)
        XCTAssertTrue(line.hasSuffix("more"), line)
        XCTAssertLessThanOrEqual(line.count, 60)
        XCTAssertEqual(PoseViews.listing(["a very long text that goes on and on and on"], width: 72), "a very long text that g…")
    }

    func testShowOnTheBundledWordData() throws {
        let path = bundledWordsPath("dev")
        let output = try evaluate("show (load \"\(path)\")").output
        XCTAssertTrue(output.contains("samples   40\n"), output)
        XCTAssertTrue(output.contains("fps       12.5 fps\n"), output)
        XCTAssertTrue(output.contains("signers   gsg 40\n"), output)
        XCTAssertTrue(output.contains("texts     40 of 40 samples; 40 distinct: Wiese, Flughafen,"), output)
        XCTAssertTrue(output.contains("more"), "the 40 texts are shortened:\n\(output)")
    }
}
