import Foundation
import Platform
import XCTest
@testable import Notebook

final class ScriptRunnerTests: XCTestCase {
    private func run(_ text: String, settings: [String] = [], name: String = "job.hsl") -> (status: Int32, output: String) {
        let (output, printed) = NotebookOutput.capturing()
        let runner = ScriptRunner(output: output, interrupt: InterruptFlag())
        let status = runner.run(SourceText(name: name, text: text), settings: settings)
        return (status, printed())
    }

    func testSuccessfulScriptPrintsValuesAndExitsZero() {
        let result = run("let n = 3\nn * 2\nprint \"done\"")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, "6\ndone\n")
    }

    func testRuntimeErrorStopsWithFileLineColumnAndCaret() {
        let result = run("print 1\nlet xs = [1, 2]\nprint xs[7]\nprint \"never\"")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.output, """
            1
            job.hsl:3:7: index 7 is out of range: the list has 2 elements; valid indices are 0…1 (or -2…-1 from the end)
                print xs[7]
                      ^^^^^

            """)
    }

    func testSyntaxErrorStopsBeforeAnythingRuns() {
        let result = run("print \"first\"\nfor w in [1] {\n  print w\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertFalse(result.output.contains("first"), "the whole script is parsed before it runs")
        XCTAssertTrue(result.output.hasPrefix("job.hsl:2:14: the input ended before the '{' opened here was closed"), result.output)
    }

    func testSettingsBecomeVariables() {
        let result = run("print word steps * 2 flags[1] name", settings: ["word=Baum", "steps=100", "flags=[true, false]", "name=\"Guten Morgen\""])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output, "Baum 200 false Guten Morgen\n")
    }

    func testBadSettingsAreErrors() {
        XCTAssertEqual(run("1", settings: ["steps"]).status, 1)
        XCTAssertTrue(run("1", settings: ["show=1"]).output.contains("--set: 'show' cannot name a variable"))
        let malformed = run("1", settings: ["x=[1,"])
        XCTAssertEqual(malformed.status, 1)
        XCTAssertTrue(malformed.output.hasPrefix("--set x:1:1: the input ended before the '[' opened here was closed"), malformed.output)
        XCTAssertTrue(run("1", settings: ["x=-y"]).output.contains("a --set value must be a literal"))
    }

    /// `run FILE --set stpes=5`, a name the script never uses, is an error with a suggestion.
    func testSettingANameTheScriptNeverUsesIsAnError() {
        let typo = run("let steps = 2\nprint steps", settings: ["stpes=5"])
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.output.contains("--set stpes: job.hsl never uses a variable 'stpes' — did you mean 'steps'?"), typo.output)
        XCTAssertEqual(run("let steps = 2\nprint steps", settings: ["steps=5"]).output, "5\n")
        XCTAssertEqual(run("for i in range 1 { print (seed + i) }", settings: ["seed=3"]).output, "3\n", "a name read without a let is used")
    }

    func testInterruptedScriptExits130() {
        let interrupt = InterruptFlag()
        let tick = TickVerb(interruptAt: 2)
        var registry = VerbRegistry()
        registry.register(tick)
        let (output, printed) = NotebookOutput.capturing()
        let status = ScriptRunner(registry: registry, output: output, interrupt: interrupt)
            .run(SourceText(name: "long.hsl", text: "for i in range 10 { tick }"))
        XCTAssertEqual(status, 130)
        XCTAssertEqual(printed(), "interrupted at long.hsl:1\n")
    }

    func testMissingFile() {
        let (output, printed) = NotebookOutput.capturing()
        XCTAssertEqual(ScriptRunner(output: output).runFile("/nonexistent/x.hsl"), 1)
        XCTAssertEqual(printed(), "/nonexistent/x.hsl: no such file\n")
    }

    func testLanguageTourRunsAsWritten() throws {
        let tour = repositoryRoot.appendingPathComponent("Examples/language-tour.hsl").path
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(repositoryRoot.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let (output, printed) = NotebookOutput.capturing()
        let status = ScriptRunner(output: output, interrupt: InterruptFlag()).runFile(tour)
        XCTAssertEqual(status, 0, printed())
        XCTAssertTrue(printed().contains("the last even number is 8 of 5"), printed())
        XCTAssertTrue(printed().contains("12 characters: Guten Morgen"), printed())
        XCTAssertTrue(printed().contains("[\"Baum\", \"Haus\"]\n"), printed())
        XCTAssertTrue(printed().contains("[0, 2, 4]\n"), printed())
    }
}
