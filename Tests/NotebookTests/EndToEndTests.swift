import Foundation
import XCTest

/// Drives the built `hybridsign` executable: in a pseudo-terminal as a person would, and as a
/// command with scripts, `-e` and piped input.
final class EndToEndTests: XCTestCase {
    private func environment(home: URL) -> [String: String] {
        ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    }

    func testREPLInAPseudoTerminal() throws {
        let home = try temporaryDirectory(self)
        let repl = try PseudoTerminalProcess(executable: try hybridsignExecutable(), environment: environment(home: home))
        try repl.expectPrompt("[1]> ")

        // A typed statement and its value.
        repl.send("let words = [\"Baum\", \"Grüße\"]\r")
        try repl.expectPrompt("[2]> ")
        repl.send("words[1] + \"!\"\r")
        try repl.expect("\"Grüße!\"")
        try repl.expectPrompt("[3]> ")

        // Tab completes a verb ("pri" → "print ") and a variable ("wo" → "words").
        repl.send("pri\t")
        try repl.expect("print")
        repl.send("wo\t")
        try repl.expect("words")
        repl.send("\u{7F}.count\r")  // Backspace removes the space the completion added.
        try repl.expect("2\n")
        try repl.expectPrompt("[4]> ")

        // Up arrow recalls the previous statement; Enter runs it again.
        repl.send("\u{1B}[A")
        try repl.expect("print words.count")
        repl.send("\r")
        try repl.expect("2\n")
        try repl.expectPrompt("[5]> ")

        // Ctrl-C while a long statement runs stops it and returns to the prompt.
        repl.send("print \"started\"; for i in range 100000000 { let x = i * 2 }\r")
        try repl.expect("started\n")
        repl.send("\u{03}")
        try repl.expect("interrupted")
        try repl.expectPrompt("[6]> ")

        // The prompt works again.
        repl.send("1 + 2\r")
        try repl.expect("3\n")
        try repl.expectPrompt("[7]> ")

        // Ctrl-C while editing drops the line; the cell number stays.
        repl.send("show this is not run")
        try repl.expect("not run")
        repl.send("\u{03}")
        try repl.expectPrompt("[7]> ")

        // A block over several lines, with the continuation prompt.
        repl.send("for w in words {\r")
        try repl.expectPrompt("...> ")
        repl.send("print w\r}\r")
        try repl.expect("Baum\nGrüße\n")
        try repl.expectPrompt("[8]> ")

        // Ctrl-D at a continuation prompt drops the unfinished block, not the session.
        repl.send("for w in words {\r")
        try repl.expectPrompt("...> ")
        repl.send("\u{04}")
        try repl.expectPrompt("[8]> ")

        // Ctrl-D leaves with status 0 and the history file keeps the statements.
        repl.send("\u{04}")
        XCTAssertEqual(repl.waitForExit(), 0, repl.transcript)
        let history = try String(contentsOf: home.appendingPathComponent(".hybridsign_history"), encoding: .utf8)
        // libedit's history format escapes spaces as \040.
        let lines = history.replacingOccurrences(of: "\\040", with: " ").split(separator: "\n")
        XCTAssertEqual(lines.first, "_HiStOrY_V2_")
        XCTAssertTrue(lines.contains("1 + 2"), history)
        XCTAssertTrue(lines.contains("print words.count"), history)
    }

    private func run(_ arguments: [String], input: String? = nil, directory: URL? = nil) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try hybridsignExecutable())
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    func testRunScriptExitCodesAndSettings() throws {
        let directory = try temporaryDirectory(self)
        let good = directory.appendingPathComponent("good.hsl")
        try "print greeting + \", \" + name\nlen name".write(to: good, atomically: true, encoding: .utf8)
        let ok = try run(["run", good.path, "--set", "greeting=Hallo", "--set", "name=\"Welt\""])
        XCTAssertEqual(ok.status, 0, ok.error)
        XCTAssertEqual(ok.output, "Hallo, Welt\n4\n")

        let bad = directory.appendingPathComponent("bad.hsl")
        try "print 1\nprint (len 3)\nprint 2\n".write(to: bad, atomically: true, encoding: .utf8)
        let failed = try run(["run", bad.path])
        XCTAssertEqual(failed.status, 1)
        XCTAssertEqual(failed.output, "1\n")
        XCTAssertTrue(failed.error.hasPrefix("\(bad.path):2:12: len expects a list, range, dataset, table, string or sample, got a number"),
                      failed.error)
        XCTAssertTrue(failed.error.contains("    print (len 3)\n               ^"), failed.error)
    }

    /// Progress written to a pipe or log is plain lines, never runs of `\r` (stderr is not a terminal here).
    func testRenderProgressOffATerminalIsPlainLines() throws {
        let directory = try temporaryDirectory(self)
        let command = try run(["render", DataFixtures.wordsPath, "--name", "Uhr", "--out", directory.appendingPathComponent("cli").path,
                               "--size", "32", "--sheet"])
        XCTAssertEqual(command.status, 0, command.error)
        XCTAssertFalse(command.error.contains("\r"), command.error)
        for line in command.error.split(separator: "\n") {
            XCTAssertTrue(line.hasPrefix("rendering  ") && line.contains("/13"), "only plain progress lines: \(command.error)")
        }
        XCTAssertTrue(command.output.hasPrefix("wrote 12 frames to "), command.output)
        let script = directory.appendingPathComponent("render.hsl")
        try "render (find (load \"\(DataFixtures.wordsPath)\") \"Ohr\") to out size: 32".write(to: script, atomically: true, encoding: .utf8)
        let notebook = try run(["run", script.path, "--set", "out=\(directory.path)/nb"])
        XCTAssertEqual(notebook.status, 0, notebook.error)
        XCTAssertFalse(notebook.error.contains("\r"), notebook.error)
        XCTAssertTrue(notebook.output.hasPrefix("rendered 'gsg-ohr-0': 12 frames (32×32)"), notebook.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.path + "/nb/sheet.png"))
    }

    func testOneStatementWithE() throws {
        let result = try run(["-e", "let n = 6; n * 7"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertEqual(result.output, "42\n")
        let failed = try run(["-e", "sampel 3"])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.error.hasPrefix("-e:1:1: unknown verb 'sampel'"), failed.error)
    }

    func testPipedInputRunsAsAScriptWithoutPrompts() throws {
        let result = try run([], input: "let a = 2\nfor i in range 2 {\n  print i + a\n}\n:vars\nshow nothing\nprint \"not reached\"\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertFalse(result.output.contains("[1]>"), "no prompts when input is not a terminal")
        XCTAssertTrue(result.output.hasPrefix("2\n3\nname  type"), result.output)
        XCTAssertTrue(result.error.hasPrefix("<stdin>:6:6: unknown variable 'nothing'"), result.error)
        XCTAssertFalse(result.output.contains("not reached"))
    }
}
