import Foundation
import Platform
import XCTest
@testable import Notebook

final class SessionTests: XCTestCase {
    func testCellsAreNumberedAndResultsKept() {
        let (session, output) = makeSession()
        XCTAssertEqual(session.prompt, "[1]> ")
        XCTAssertEqual(session.submit("1 + 1"), .success)
        XCTAssertEqual(session.submit("let x = 5"), .success)
        XCTAssertEqual(session.submit("_ * 10"), .success)
        XCTAssertEqual(session.submit("_1 + _3"), .success)
        XCTAssertEqual(session.prompt, "[5]> ")
        XCTAssertEqual(output(), "2\n20\n22\n")
        XCTAssertEqual(session.cells.map(\.value?.number), [2, nil, 20, 22])
    }

    func testFailedCellsAreNumberedAndReported() {
        let (session, output) = makeSession()
        XCTAssertEqual(session.submit("show nothing"), .failure)
        XCTAssertEqual(session.submit("_2"), .failure)
        XCTAssertTrue(output().contains("cell 1:1:6: unknown variable 'nothing'"), output())
        XCTAssertTrue(output().contains("there is no result '_2' yet"))
        XCTAssertEqual(session.cells.map(\.succeeded), [false, false])
    }

    func testVarsHistoryAndHelp() {
        let (session, output) = makeSession()
        session.submit("let words = [\"Baum\"]")
        session.submit("for w in words {\n  print w\n}")
        session.submit(":vars")
        XCTAssertTrue(output().contains("""
            name   type    value
            ─────  ──────  ────────
            w      string  Baum
            words  list    ["Baum"]
            """), output())
        session.submit(":history")
        XCTAssertTrue(output().contains("[1] let words = [\"Baum\"]\n[2] for w in words {\n      print w\n    }"), output())
        session.submit(":help")
        XCTAssertTrue(output().contains("read_lines"))
        XCTAssertTrue(output().contains(":export NOTEBOOK"))
        session.submit(":help range")
        XCTAssertTrue(output().contains("range START|END [END] [step: NUMBER]"), output())
        XCTAssertTrue(output().contains("step: NUMBER = 1"), output())
        XCTAssertEqual(session.submit(":help rnage"), .failure)
        XCTAssertTrue(output().contains("no help for 'rnage' — did you mean 'range'?"), output())
        XCTAssertEqual(session.submit(":hepl"), .failure)
        XCTAssertTrue(output().contains("unknown session command ':hepl' — did you mean 'help'?"), output())
        XCTAssertEqual(session.cells.count, 2, "commands are not cells")
    }

    func testVarsTableListsTypes() {
        let (session, _) = makeSession()
        session.submit("let words = [\"Baum\"]; let n = 3")
        let table = session.variablesTable()
        XCTAssertEqual(table.rows.map { $0.map(\.plainText) }, [["n", "number", "3"], ["words", "list", "[\"Baum\"]"]])
    }

    func testSaveAndLoadRoundTrip() throws {
        let directory = try temporaryDirectory(self)
        let script = directory.appendingPathComponent("session.hsl").path
        let (first, _) = makeSession()
        first.submit("let a = 2")
        first.submit("show nothing")
        first.submit("for i in range 3 {\n  let a = a + i\n}")
        first.submit(":save \(script)")
        let saved = try String(contentsOfFile: script, encoding: .utf8)
        XCTAssertFalse(saved.contains("nothing"), "failed cells are not saved")
        XCTAssertTrue(saved.contains("for i in range 3 {\n  let a = a + i\n}"))

        let (second, output) = makeSession()
        XCTAssertEqual(second.submit(":load \(script)"), .success)
        XCTAssertEqual(second.cells.count, 2)
        XCTAssertEqual(second.interpreter.variables["a"]?.number, 5)
        XCTAssertTrue(output().contains("loaded 2 statements"))
    }

    func testLoadStopsAtTheFirstErrorWithFileLineAndColumn() throws {
        let directory = try temporaryDirectory(self)
        let script = directory.appendingPathComponent("bad.hsl").path
        try "let a = 1\nprint a\nprint a.nope\nprint \"never\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        let (session, output) = makeSession()
        XCTAssertEqual(session.submit(":load \(script)"), .failure)
        XCTAssertTrue(output().contains("\(script):3:9: a number has no member 'nope'"), output())
        XCTAssertFalse(output().contains("never"))
    }

    func testTimePrintsTheDurationAndMakesACell() {
        var now = 10.0
        let (output, text) = NotebookOutput.capturing()
        let session = Session(output: output, interrupt: InterruptFlag(), clock: { now += 1.5; return now })
        XCTAssertEqual(session.submit(":time 2 + 2"), .success)
        XCTAssertEqual(text(), "4\ntime: 1.5 s\n")
        XCTAssertEqual(session.cells.first?.source, "2 + 2")
    }

    func testExportWritesCellsOutputsAndImageLinks() throws {
        let directory = try temporaryDirectory(self)
        let image = directory.appendingPathComponent("out/baum.png").path
        try FileManager.default.createDirectory(atPath: directory.appendingPathComponent("out").path, withIntermediateDirectories: true)
        let (session, _) = makeSession(verbs: [FakeRenderVerb()])
        session.interpreter.setVariable("s", .sample(try tinySample(frames: 2)))
        session.submit("print \"hello\"")
        session.submit("render s to \"\(image)\"")
        session.submit("1 / 0")
        let notebook = directory.appendingPathComponent("notes/session.md").path
        XCTAssertEqual(session.submit(":export \(notebook)"), .success)
        let markdown = try String(contentsOfFile: notebook, encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# HybridSign notebook\n\nExported "), markdown)
        XCTAssertTrue(markdown.contains("## [1]\n\n```hsl\nprint \"hello\"\n```\n\n```text\nhello\n```"), markdown)
        XCTAssertTrue(markdown.contains("![contact sheet](../out/baum.png)"), markdown)
        XCTAssertEqual(markdown.components(separatedBy: "baum.png").count - 1, 3, "statement, echoed value and one image link")
        XCTAssertTrue(markdown.contains("## [3] (error)"), markdown)
        XCTAssertTrue(markdown.contains("division by zero"), markdown)
        XCTAssertEqual(session.cells[1].artifacts.map(\.path), [image], "an image returned and attached is linked once")
    }

    func testNeedsMoreInputForOpenBlocks() {
        let (session, _) = makeSession()
        XCTAssertTrue(session.needsMoreInput("for i in range 3 {\n"))
        XCTAssertTrue(session.needsMoreInput("let xs = [1,\n"))
        XCTAssertFalse(session.needsMoreInput("for i in range 3 {\n print i\n}\n"))
        XCTAssertFalse(session.needsMoreInput("let x = \n"), "a syntax error is reported, not continued")
        XCTAssertFalse(session.needsMoreInput(":help"))
    }

    func testInterruptedCellReportsAndTheNextRuns() {
        let tick = TickVerb(interruptAt: 3)
        let interrupt = InterruptFlag()
        let (session, output) = makeSession(verbs: [tick], interrupt: interrupt)
        XCTAssertEqual(session.submit("for i in range 1000 { tick }"), .interrupted)
        XCTAssertTrue(output().hasSuffix("interrupted\n"))
        XCTAssertEqual(session.submit("1 + 1"), .success, "the flag is cleared for the next cell")
        XCTAssertTrue(output().hasSuffix("2\n"))
    }

    func testSessionCommandParsing() throws {
        XCTAssertEqual(try SessionCommand.parse(":save \"my file.hsl\""), .save("my file.hsl"))
        XCTAssertEqual(try SessionCommand.parse("  :time show 1 "), .time("show 1"))
        XCTAssertEqual(try SessionCommand.parse(":q"), .quit)
        XCTAssertThrowsError(try SessionCommand.parse(":save")) { error in
            XCTAssertEqual((error as? NotebookError)?.message, ":save needs a file name")
        }
        XCTAssertThrowsError(try SessionCommand.parse(":vars x"))
    }
}
