import Foundation
import XCTest

/// SIGINT and SIGTERM on the command-line tools: training stops, saves and can be resumed; an
/// interrupted write leaves no temporary behind.
final class CommandSignalTests: XCTestCase {
    /// `hybridsign train` handles SIGTERM like Ctrl-C: it saves the checkpoint at the step it
    /// reached and says so, and `--resume` continues from it.
    func testTrainSavesOnSIGTERMAndResumes() throws {
        let directory = try temporaryDirectory(self)
        let checkpoint = directory.appendingPathComponent("m.safetensors").path
        let arguments = ["train", "--data", DataFixtures.wordsPath, "--out", checkpoint, "--dim", "16", "--depth", "1",
                         "--batch", "2", "--log-every", "1", "--checkpoint-every", "100000"]
        let run = try LaunchedCommand(arguments + ["--steps", "100000"])
        try run.waitForOutput(containing: "step 3/", seconds: 120)
        run.send(SIGTERM)
        let status = run.wait(seconds: 60)
        XCTAssertEqual(status, .exited(0), run.output)
        let saved = try XCTUnwrap(run.output.range(of: #"interrupted: saved step (\d+)"#, options: .regularExpression), run.output)
        let step = Int(run.output[saved].split(separator: " ").last!)!
        XCTAssertGreaterThanOrEqual(step, 3)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["m.safetensors"])

        let resumed = try LaunchedCommand(arguments + ["--steps", String(step + 1), "--resume"])
        XCTAssertEqual(resumed.wait(seconds: 120), .exited(0), resumed.output)
        XCTAssertTrue(resumed.output.contains("resuming \(checkpoint) at step \(step) of \(step + 1)"), resumed.output)
        XCTAssertTrue(resumed.output.contains("saved step \(step + 1) to"), resumed.output)
    }

    /// A `convert` ended by SIGINT or SIGTERM while it writes its output removes the temporary it
    /// was writing: the directory holds nothing afterwards.
    func testInterruptedConvertLeavesNoTemporary() throws {
        let input = repositoryRoot.appendingPathComponent("data/words/dev.pkl").path
        for signal in [SIGINT, SIGTERM] {
            let directory = try temporaryDirectory(self)
            var caught = false
            // The window between creating the temporary and renaming it is short: try until a
            // signal lands inside it.
            for _ in 0..<30 where !caught {
                let run = try LaunchedCommand(["convert", input, directory.appendingPathComponent("out.json").path])
                caught = run.send(signal, onceAnEntryOf: directory, startsWith: ".out.json.tmp-")
                let status = run.wait(seconds: 60)
                if caught { XCTAssertEqual(status, .signalled(signal), run.output) }
                try? FileManager.default.removeItem(at: directory.appendingPathComponent("out.json"))
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [],
                               "signal \(signal): no temporary left behind")
            }
            XCTAssertTrue(caught, "no run was caught while writing")
        }
    }
}

/// The hybridsign executable run in the background, its standard output and error collected in a file.
private final class LaunchedCommand {
    enum Status: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case running
    }

    let process = Process()
    private let log: URL

    init(_ arguments: [String]) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("command-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: try hybridsignExecutable())
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: log)
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func waitForOutput(containing text: String, seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !output.contains(text) {
            guard process.isRunning, Date() < deadline else {
                throw NotebookTestError("'\(text)' did not appear; output:\n\(output)")
            }
            usleep(20_000)
        }
    }

    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Sends `signal` as soon as `directory` holds an entry starting with `prefix`; false when the
    /// process ended first.
    func send(_ signal: Int32, onceAnEntryOf directory: URL, startsWith prefix: String) -> Bool {
        while process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            if names.contains(where: { $0.hasPrefix(prefix) }) {
                send(signal)
                return true
            }
            usleep(100)
        }
        return false
    }

    func wait(seconds: Double) -> Status {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { return .running }
        return process.terminationReason == .uncaughtSignal ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
    }
}
