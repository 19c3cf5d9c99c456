import Foundation
import Platform
import PoseData
import XCTest
@testable import Notebook

final class LoadVerbTests: XCTestCase {
    func testLoadsAPickleAsADataset() throws {
        let loaded = try value(of: "load \"\(DataFixtures.wordsPath)\"")
        guard case .dataset(let dataset) = loaded else { return XCTFail("expected a dataset, got \(loaded.typeName)") }
        XCTAssertEqual(dataset.samples.map(\.text), ["Mai", "Uhr", "Ohr"])
        XCTAssertEqual(dataset.layout, .openPose137)
        XCTAssertEqual(dataset, try DataFixtures.words())
    }

    func testLoadsAPoseFileAsADatasetOfOne() throws {
        let count = try value(of: "(load \"\(DataFixtures.posePath)\").count")
        XCTAssertEqual(count.number, 1)
        XCTAssertEqual(try value(of: "(load \"\(DataFixtures.posePath)\")[0].name").string, "openpose-posefmt")
    }

    func testMissingFileNamesThePathAndWhereItLooked() throws {
        let error = try XCTUnwrap(failureLocation("let d = load \"nowhere/dev.pkl\""))
        XCTAssertEqual(error.message, "no file or directory at 'nowhere/dev.pkl'")
        XCTAssertEqual(error.at, "1:14", "the error points at the path")
        XCTAssertTrue(error.hint?.contains(FileManager.default.currentDirectoryPath) == true, error.hint ?? "")
    }

    func testUnknownFormatAndLayoutAreErrors() throws {
        let directory = try temporaryDirectory(self)
        let text = directory.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: text)
        let format = try XCTUnwrap(failureLocation("load \"\(text.path)\""))
        XCTAssertTrue(format.message.contains("unknown file type"), format.message)
        XCTAssertTrue(format.hint?.contains(".pkl, .pkl.gz, .pose") == true)
        let layout = try XCTUnwrap(failureLocation("load \"\(DataFixtures.wordsPath)\" layout: \"mediapipe\""))
        XCTAssertTrue(layout.message.contains("unknown layout 'mediapipe'"), layout.message)
        XCTAssertEqual(layout.at, "1:\(17 + DataFixtures.wordsPath.count)", "the error points at the layout")
    }

    func testScriptsFindFilesBesideThemWhenTheCurrentDirectoryHasNone() throws {
        let directory = try temporaryDirectory(self)
        let scripts = directory.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: DataFixtures.wordsPath, toPath: scripts.appendingPathComponent("words.pkl").path)
        try Data("Uhr\n".utf8).write(to: scripts.appendingPathComponent("wanted.txt"))
        let script = scripts.appendingPathComponent("job.hsl")
        try Data("let d = load \"words.pkl\"\nprint d.count (read_lines \"wanted.txt\")\n".utf8).write(to: script)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let (output, printed) = NotebookOutput.capturing()
        XCTAssertEqual(ScriptRunner(output: output, interrupt: InterruptFlag()).runFile("scripts/job.hsl"), 0, printed())
        XCTAssertEqual(printed(), "3 [\"Uhr\"]\n")
        // :load runs the script's statements as cells, with the same rule.
        let (session, sessionPrinted) = makeSession()
        XCTAssertEqual(session.submit(":load scripts/job.hsl"), .success, sessionPrinted())
        XCTAssertTrue(sessionPrinted().hasPrefix("3 [\"Uhr\"]\n"), sessionPrinted())
        XCTAssertNil(session.interpreter.context.scriptDirectory, "the script's directory applies only while it runs")
        // Outside a script the same statement looks only in the current directory.
        let error = try XCTUnwrap(failureLocation("load \"words.pkl\""))
        XCTAssertEqual(error.message, "no file or directory at 'words.pkl'")
    }

    func testSettingsReplaceAScriptsDefaults() {
        let (output, printed) = NotebookOutput.capturing()
        let runner = ScriptRunner(output: output, interrupt: InterruptFlag())
        let text = "let out = \"out\"\nlet n = 2\nfor i in [1] { let n = n + 10 }\nprint out n"
        XCTAssertEqual(runner.run(SourceText(name: "job.hsl", text: text), settings: ["out=/tmp/x", "n=5"]), 0)
        XCTAssertEqual(printed(), "/tmp/x 15\n", "top-level lets keep --set values; lets in loops still rebind")
        let (plainOutput, plainPrinted) = NotebookOutput.capturing()
        XCTAssertEqual(ScriptRunner(output: plainOutput, interrupt: InterruptFlag()).run(SourceText(name: "job.hsl", text: text)), 0)
        XCTAssertEqual(plainPrinted(), "out 12\n")
    }
}
