import Foundation
import Platform
import PoseData
import Render
import XCTest
@testable import Notebook

/// The first hour's rough edges (issue 17), each with the input that showed it.
final class RoughEdgeTests: XCTestCase {
    /// A table of `count` rows (step, loss).
    private func longTable(_ count: Int) -> Value {
        .table(Table(columns: ["step", "loss"], rows: (1...count).map { [.number(Double($0)), .number(1 / Double($0))] }))
    }

    /// `show TABLE rows: 3` printed every row; a bare table printed ~700 lines.
    func testShowRowsLimitsATableAndABareTableIsShortened() throws {
        let shown = try evaluate("show t rows: 3", variables: ["t": longTable(700)]).output
        let lines = shown.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 + 3 + 1, shown)
        XCTAssertEqual(lines.last, "first 3 of 700 rows (show TABLE rows: 700 lists them all)")
        let bare = longTable(700).displayText.split(separator: "\n")
        XCTAssertEqual(bare.count, 2 + Table.displayedRows + 1)
        XCTAssertEqual(longTable(5).displayText.split(separator: "\n").count, 2 + 5, "short tables stay whole")
        XCTAssertEqual(try evaluate("show t rows: 900", variables: ["t": longTable(700)]).output.split(separator: "\n").count, 702)
    }

    /// `compare (load "x.pose") vs uhr` refused the one-sample dataset that `render` accepts.
    func testCompareTakesADatasetOfOneSampleAsTheSample() throws {
        var variables = try DataFixtures.variables()
        variables["one"] = .dataset(try DataFixtures.words().subset([1]))
        guard case .table(let table) = try value(of: "compare one vs s", variables: variables),
              case .table(let reversed) = try value(of: "compare s vs one", variables: variables) else { return XCTFail("not tables") }
        XCTAssertEqual(table.rows.count, 1)
        XCTAssertEqual(table.column("dtw_mje")?.first?.number, 0, "the same recording")
        XCTAssertEqual(reversed.rows.count, 1)
        // A dataset of several samples beside a sample is still refused, naming the variable.
        let mixed = try XCTUnwrap(failureLocation("compare s vs d", variables: variables))
        XCTAssertEqual(mixed.hint, "compare a sample with one sample (d[3], find d \"Uhr\"), a dataset with a dataset")
    }

    /// `render` of a dataset drew nothing but an error; it now draws its samples side by side.
    func testRenderOfADatasetDrawsItsSamplesSideBySide() throws {
        var variables = try DataFixtures.variables()
        let out = try temporaryDirectory(self).appendingPathComponent("grid").path
        variables["out"] = .string(out)
        let result = try value(of: "render d to out size: 32 caption: false", variables: variables)
        XCTAssertEqual(result.member("labels")?.list?.compactMap(\.string), ["gsg-mai-0", "gsg-uhr-0", "gsg-ohr-0"])
        let frames = result.member("frames")?.list?.compactMap(\.string) ?? []
        XCTAssertEqual(frames.count, 12)
        XCTAssertGreaterThanOrEqual(try PNG.read(from: URL(fileURLWithPath: frames[0])).width, 3 * 32, "three panels")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/sheet.png"))
        let vs = try XCTUnwrap(failureLocation("render d vs s to out", variables: variables))
        XCTAssertEqual(vs.hint, "render d[0] vs … to compare one sample with others")
    }

    /// `:help :export` showed the verb `export`.
    func testHelpOnAColonCommandShowsTheCommand() {
        let (session, output) = makeSession()
        XCTAssertEqual(session.submit(":help :export"), .success)
        XCTAssertTrue(output().hasPrefix(":export NOTEBOOK\n"), output())
        XCTAssertEqual(session.submit(":help export"), .success)
        XCTAssertTrue(output().contains("export SAMPLE|DATASET|TABLE to PATH"), "a bare name is still the verb: \(output())")
        XCTAssertEqual(session.submit(":help :nope"), .failure)
    }

    /// `sample "Baum"` said `needs TEXT` when MODEL is what is missing.
    func testALiteralInTheWrongPlaceNamesTheMissingArgument() throws {
        let missing = try XCTUnwrap(failureLocation("sample \"Baum\""))
        XCTAssertEqual(missing.message, "sample needs MODEL (a trained model) before this")
        XCTAssertEqual(missing.at, "1:8")
        XCTAssertEqual(failureLocation("sample")?.message, "sample needs MODEL (a trained model)")
    }

    /// `find` ignored case and `filter text:` did not.
    func testFilterTextFollowsFindsCaseRule() throws {
        let variables = try DataFixtures.variables()
        XCTAssertEqual(try value(of: "(find d \"uhr\").text", variables: variables).string, "Uhr")
        guard case .dataset(let folded) = try value(of: "filter d text: \"uhr\"", variables: variables),
              case .dataset(let exact) = try value(of: "filter d text: [\"Uhr\", \"OHR\"]", variables: variables) else {
            return XCTFail("not datasets")
        }
        XCTAssertEqual(folded.samples.summaries.compactMap(\.text), ["Uhr"])
        XCTAssertEqual(exact.samples.summaries.compactMap(\.text), ["Uhr", "Ohr"])
    }

    /// Hints said `d` whatever the user called the dataset.
    func testHintsNameTheUsersVariable() throws {
        var variables = try DataFixtures.variables()
        variables["words"] = variables["d"]
        XCTAssertEqual(failureLocation("filter words", variables: variables)?.hint,
                       "for example: filter words text: \"Uhr\"  (text:, signer:, name:, min_frames:, max_frames:)")
        let export = try XCTUnwrap(failureLocation("export words to \"/tmp/x.pose\"", variables: variables))
        XCTAssertEqual(export.hint, "export one sample (words[0]), or end the path in / to write one .pose per sample")
        XCTAssertTrue(failureLocation("find words \"Nope\"", variables: variables)?.hint?.hasSuffix("(words.texts lists them all)") ?? false)
    }

    /// `:time` printed `8.8e-05 s`.
    func testTimeIsPrintedInUnitsPeopleRead() {
        XCTAssertEqual(NumberText.elapsed(8.8e-05), "88 µs")
        XCTAssertEqual(NumberText.elapsed(0.0123), "12.3 ms")
        XCTAssertEqual(NumberText.elapsed(1.5), "1.5 s")
        XCTAssertEqual(NumberText.elapsed(754), "12:34 (754 s)")
        var now = 10.0
        let (output, text) = NotebookOutput.capturing()
        let session = Session(output: output, interrupt: InterruptFlag(), clock: { now += 8.8e-05; return now })
        XCTAssertEqual(session.submit(":time 2 + 2"), .success)
        XCTAssertEqual(text(), "4\ntime: 88 µs\n")
    }

    /// `:vars` ignored the terminal's width, and training progress wrapped at narrow widths (its
    /// in-place rewrite then erased only the last row).
    func testVarsFitTheTerminalAndProgressLinesDoNotWrap() {
        final class Buffer: @unchecked Sendable { var out = ""; var err = "" }
        let buffer = Buffer()
        let output = NotebookOutput(isTerminal: true, standardOutput: { buffer.out += $0 }, standardError: { buffer.err += $0 },
                                    columns: { 40 })
        let session = Session(output: output, interrupt: InterruptFlag())
        session.interpreter.setVariable("words", .list((0..<50).map { .string("word\($0)") }))
        session.interpreter.setVariable("n", .number(3))
        XCTAssertEqual(session.submit(":vars"), .success)
        let lines = buffer.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, buffer.out)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 39, String(line)) }
        XCTAssertTrue(lines[3].hasPrefix("words  list    [\"word0\", \"word1\""), buffer.out)
        XCTAssertTrue(lines[3].hasSuffix("…"), buffer.out)
        output.status("train  12/500  loss 0.1234  8 tok/s  " + String(repeating: "x", count: 60))
        XCTAssertEqual(buffer.err, "\r\u{1B}[K" + "train  12/500  loss 0.1234  8 tok/s  x…")
        XCTAssertEqual(buffer.err.count, 4 + 39, "the erase sequence and 39 columns")
    }

    /// A misspelt verb typed alone was "unknown variable" without a word about the verb.
    func testAMisspeltBareVerbSuggestsTheVerb() throws {
        let error = try XCTUnwrap(failureLocation("smaple"))
        XCTAssertEqual(error.message, "unknown variable 'smaple' — did you mean the verb 'sample'?")
        XCTAssertTrue(error.hint?.hasPrefix("usage: sample MODEL TEXT") ?? false, error.hint ?? "")
        XCTAssertEqual(failureLocation("smaple", variables: ["sample_count": .number(1)])?.message,
                       "unknown variable 'smaple' — did you mean the verb 'sample'?", "a far variable does not win")
        XCTAssertEqual(failureLocation("cuont", variables: ["count": .number(1)])?.message,
                       "unknown variable 'cuont' — did you mean 'count'?")
    }
}
