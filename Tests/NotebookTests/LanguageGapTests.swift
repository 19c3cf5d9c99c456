import Foundation
import Platform
import PoseData
import XCTest
@testable import Notebook

/// What a notebook user expects of the language (issue 17): slices and heads, help on values and
/// types, :cd and :pwd, tables as CSV, a frame's keypoints, completion on results.
final class LanguageGapTests: XCTestCase {
    func testSlicesOfEveryIndexableValue() throws {
        let variables = try DataFixtures.variables()
        XCTAssertEqual(try value(of: "d[0:2].count", variables: variables).number, 2)
        XCTAssertEqual(try value(of: "d[1:].texts", variables: variables).list?.compactMap(\.string), ["Uhr", "Ohr"])
        XCTAssertEqual(try value(of: "[1, 2, 3, 4][-2:]").list?.compactMap(\.number), [3, 4])
        XCTAssertEqual(try value(of: "[1, 2, 3, 4][:10]").list?.count, 4, "bounds are clamped, as in Python")
        XCTAssertEqual(try value(of: "[1, 2, 3, 4][3:1]").list?.count, 0)
        XCTAssertEqual(try value(of: "(range 0 10 step: 2)[1:3]").list?.compactMap(\.number), [2, 4])
        XCTAssertEqual(try value(of: "\"Baum\"[1:3]").string, "au")
        guard case .table(let table) = try value(of: "t[1:]", variables: ["t": .table(Table(columns: ["a"], rows: [[.number(1)], [.number(2)]]))]) else {
            return XCTFail("a table's slice is a table")
        }
        XCTAssertEqual(table.column("a")?.compactMap(\.number), [2])
        XCTAssertEqual(failureLocation("3[0:1]")?.message, "a number cannot be sliced")
        XCTAssertEqual(failureLocation("[1][0:\"a\"]")?.message, "a slice's bounds must be whole numbers, got a string")
        XCTAssertEqual(failureLocation("[1][0:\"a\"]")?.at, "1:7")
    }

    func testHeadIsTheFirstElementsOfTheSameKind() throws {
        let variables = try DataFixtures.variables()
        guard case .dataset(let two) = try value(of: "head d 2", variables: variables) else { return XCTFail("a dataset") }
        XCTAssertEqual(two.count, 2)
        XCTAssertEqual(try value(of: "head (range 100)").list?.count, HeadVerb.defaultCount)
        XCTAssertEqual(try value(of: "head \"Guten Morgen\" 5").string, "Guten")
        XCTAssertEqual(try value(of: "head [1, 2, 3] -1").list?.compactMap(\.number), [1, 2])
        XCTAssertEqual(failureLocation("head 3")?.message, "head expects a list, range, dataset, table or string, got a number")
    }

    func testHelpOnValuesTypesAndKeywords() {
        let (session, output) = makeSession()
        session.interpreter.setVariable("d", .dataset(try! DataFixtures.words()))
        XCTAssertEqual(session.submit("?d"), .success)
        XCTAssertTrue(output().hasPrefix("d: dataset\n  dataset: 3 samples"), output())
        XCTAssertTrue(output().contains("members: d.count, d.samples"), output())
        XCTAssertTrue(output().contains("verbs that take a dataset: "), output())
        XCTAssertTrue(output().contains("filter"), output())
        XCTAssertEqual(session.submit(":help dataset"), .success)
        XCTAssertTrue(output().contains("dataset (type)\n  pose samples"), output())
        XCTAssertEqual(session.submit(":help for"), .success)
        XCTAssertTrue(output().contains("for (keyword)\n  for NAME in"), output())
        XCTAssertEqual(session.submit(":help vs"), .success)
        XCTAssertTrue(output().contains("vs (connecting word)"), output())
        XCTAssertEqual(session.submit("?dataset"), .success)
        XCTAssertEqual(session.submit(":help datset"), .failure)
        XCTAssertTrue(output().contains("no help for 'datset' — did you mean 'dataset'?"), output())
        XCTAssertEqual(session.cells.count, 0, "help makes no cells")
        // Jupyter's Shift-Tab (inspect_request) says the same of types and keywords.
        XCTAssertEqual(session.inspection(of: "for w in d { }", cursor: 1)?.hasPrefix("for (keyword)"), true)
        XCTAssertEqual(session.inspection(of: "show dataset", cursor: 8)?.hasPrefix("dataset (type)"), true)
        XCTAssertNil(session.inspection(of: "nothing_here", cursor: 3))
    }

    func testChangeAndPrintTheDirectory() throws {
        let directory = try temporaryDirectory(self)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let previous = FileManager.default.currentDirectoryPath
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let (session, output) = makeSession()
        XCTAssertEqual(session.submit(":cd \(directory.path)"), .success)
        XCTAssertEqual(session.submit(":cd sub"), .success)
        XCTAssertEqual(session.submit(":pwd"), .success)
        let resolved = directory.resolvingSymlinksInPath().appendingPathComponent("sub").path
        XCTAssertTrue(output().hasSuffix(resolved + "\n"), output())
        XCTAssertEqual(session.submit(":cd nowhere"), .failure)
        XCTAssertTrue(output().contains("no such directory 'nowhere'"), output())
        XCTAssertEqual(session.submit(":pwd x"), .failure)
    }

    func testTablesExportAsCSV() throws {
        let directory = try temporaryDirectory(self)
        var table = Table(columns: ["name", "score", "note"])
        table.append([.string("a, b"), .number(0.1), .none])
        table.append([.string("say \"hi\""), .number(3), .string("x")])
        let variables: [String: Value] = ["t": .table(table), "path": .string(directory.path + "/out/t.csv")]
        let written = try value(of: "export t to path", variables: variables)
        XCTAssertEqual(written.member("path")?.string, directory.path + "/out/t.csv")
        let csv = try String(contentsOfFile: directory.path + "/out/t.csv", encoding: .utf8)
        XCTAssertEqual(csv, "name,score,note\r\n\"a, b\",0.1,\r\n\"say \"\"hi\"\"\",3,x\r\n")
        XCTAssertEqual(failureLocation("export t to \"/tmp/t.json\"", variables: variables)?.message,
                       "a table is written as CSV: end the file name in .csv")
        XCTAssertEqual(failureLocation("export s to \"/tmp/s.csv\"", variables: try DataFixtures.variables())?.message,
                       "a .csv file holds a table, not a sample")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/out"), ["t.csv"], "no temporary left")
    }

    func testKeypointsOfAFrameAsATable() throws {
        let variables = try DataFixtures.variables()
        let words = try DataFixtures.words()
        guard case .table(let table) = try value(of: "keypoints s frame: -1", variables: variables) else { return XCTFail("a table") }
        XCTAssertEqual(table.columns, KeypointsVerb.columns)
        XCTAssertEqual(table.rows.count, words.layout.jointCount)
        let point = words[1].point(frame: words[1].frameCount - 1, joint: 4)
        XCTAssertEqual(table.rows[4][0].string, words.layout.joints[4])
        XCTAssertEqual(table.rows[4][2].number, Double(point.x))
        XCTAssertEqual(table.rows[4][3].number, Double(point.y))
        XCTAssertEqual(table.rows[4][4].number, Double(point.confidence))
        guard case .table(let hand) = try value(of: "keypoints s part: \"right_hand\"", variables: variables) else { return XCTFail() }
        XCTAssertEqual(hand.rows.count, words.layout.part(named: "right_hand")?.joints.count)
        XCTAssertEqual(Set(hand.column("part")?.compactMap(\.string) ?? []), ["right_hand"])
        let outside = try XCTUnwrap(failureLocation("keypoints s frame: 12", variables: variables))
        XCTAssertEqual(outside.message, "frame 12 is out of range: valid frames are 0…11 (or -12…-1 from the end)")
        XCTAssertEqual(outside.at, "1:20")
        XCTAssertTrue(failureLocation("keypoints s part: \"hnad\"", variables: variables)?.message.contains("has no part 'hnad'") ?? false)
    }

    func testCompletionOnMembersOfResults() throws {
        var history = Table(columns: ["step", "loss"])
        history.append([.number(1), .number(0.5)])
        let words = try DataFixtures.words()
        let completer = Completer(registry: VerbRegistry(), variables: ["t": .table(history), "d": .dataset(words),
                                                                        "nested": .list([.table(history)])])
        XCTAssertEqual(completer.completions(forLinePrefix: "t.lo"), ["t.loss"])
        XCTAssertEqual(completer.completions(forLinePrefix: "show d.texts.c"), ["d.texts.count"])
        XCTAssertEqual(completer.completions(forLinePrefix: "(find d \"Uhr\").te"), [".text"])
        XCTAssertEqual(completer.completions(forLinePrefix: "print (head d 2).cou"), [".count"])
        XCTAssertEqual(completer.completions(forLinePrefix: "(render d to \"x\")."), [], "verbs that write files are never run by Tab")
        XCTAssertEqual(completer.completions(forLinePrefix: "(find d \"Nope\")."), [], "a failing command completes nothing")
    }
}
