import Foundation
import PoseData
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
        try assertSignalsLeaveNoTemporary(temporaryPrefix: ".out.json.tmp-") { directory in
            ["convert", Self.words, directory.appendingPathComponent("out.json").path]
        }
    }

    /// A `render` ended by SIGINT or SIGTERM while it writes a frame removes that frame's
    /// temporary: only whole frames are left.
    func testInterruptedRenderLeavesNoTemporary() throws {
        // Five caught runs a signal: a render that left a temporary did so in 2 to 8 runs of 10.
        try assertSignalsLeaveNoTemporary(temporaryPrefix: ".frame_", catches: 5) { directory in
            ["render", Self.words, "--out", directory.path, "--quiet"]
        }
    }

    /// `sample --texts` stopped by SIGINT or SIGTERM once the first sequences are written keeps
    /// them (whole files, no temporaries), says how many, and exits with 128 + the signal.
    func testInterruptedBatchSampleKeepsTheFinishedSequences() throws {
        for signal in [SIGINT, SIGTERM] {
            let directory = try temporaryDirectory(self)
            let texts = directory.appendingPathComponent("texts.txt")
            try Data(Array(repeating: "Baum", count: 10).joined(separator: "\n").utf8).write(to: texts)
            let out = directory.appendingPathComponent("out")
            let model = repositoryRoot.appendingPathComponent("data/models/words-small.safetensors").path
            let run = try LaunchedCommand(["sample", model, "--texts", texts.path, "--out", out.path, "--batch", "2", "--frames", "400"])
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            XCTAssertTrue(run.send(signal, onceAnEntryOf: out, startsWith: "01-"), run.output)
            XCTAssertEqual(run.wait(seconds: 120), .exited(128 + signal), run.output)
            let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
            XCTAssertEqual(files.filter { $0.hasPrefix(".") }, [], "no temporary left")
            XCTAssertTrue(files.count >= 2 && files.count < 10, "\(files)")
            XCTAssertTrue(run.output.contains("interrupted: kept \(files.count) of 10 sequences"), run.output)
            for name in files { XCTAssertEqual(try PoseIO.load(contentsOf: out.appendingPathComponent(name)).samples[0].frameCount, 400) }
        }
    }

    private static let words = repositoryRoot.appendingPathComponent("data/words/dev.pkl").path

    /// Runs the command `arguments(directory)` and sends SIGINT, then SIGTERM, the moment one of
    /// its temporaries (`temporaryPrefix…`) appears, until `catches` runs a signal were caught
    /// that way; each must end by the signal and leave no hidden file in the directory.
    private func assertSignalsLeaveNoTemporary(temporaryPrefix: String, catches: Int = 1, arguments: (URL) -> [String],
                                               file: StaticString = #filePath, line: UInt = #line) throws {
        for signal in [SIGINT, SIGTERM] {
            var caught = 0
            // The window between creating the temporary and renaming it is short: try until a
            // signal lands inside it.
            for _ in 0..<30 where caught < catches {
                let directory = try temporaryDirectory(self)
                let run = try LaunchedCommand(arguments(directory))
                let landed = run.send(signal, onceAnEntryOf: directory, startsWith: temporaryPrefix)
                let status = run.wait(seconds: 60)
                if landed {
                    caught += 1
                    XCTAssertEqual(status, .signalled(signal), run.output, file: file, line: line)
                }
                let hidden = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
                XCTAssertEqual(hidden, [], "signal \(signal): no temporary left behind", file: file, line: line)
            }
            XCTAssertEqual(caught, catches, "signal \(signal): runs caught while writing", file: file, line: line)
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
