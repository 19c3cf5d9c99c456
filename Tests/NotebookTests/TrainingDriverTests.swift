import Foundation
import HybridSign
import Tensors
import XCTest
@testable import Notebook

/// The notebook's `train` and `hybridsign train` drive one `TrainingRun`: the verb keeps its run
/// across calls (AdamW and EMA go on), gives the command line's weights bit for bit for the same
/// options, and its checkpoints resume in the command line.
final class TrainingDriverTests: XCTestCase {
    func testTheVerbContinuesItsRunAndEqualsTheCommandLineBitwise() throws {
        let directory = try temporaryDirectory(self)
        let notebook = directory.appendingPathComponent("notebook.safetensors").path
        let commandLine = directory.appendingPathComponent("cli.safetensors").path
        let (session, printed) = makeSession()
        for statement in ["let d = load \"\(DataFixtures.wordsPath)\"",
                          "let m = model hybrid dim: 16 depth: 1 seed: 5",
                          "train m on d steps: 3 batch: 2 lr: 0.002 checkpoint: \"\(notebook)\"",
                          "train m on d steps: 2 batch: 2 lr: 0.002 checkpoint: \"\(notebook)\""] {
            XCTAssertEqual(session.submit(statement), .success, printed())
        }
        let arguments = ["train", "--data", DataFixtures.wordsPath, "--out", commandLine, "--dim", "16", "--depth", "1",
                         "--seed", "5", "--batch", "2", "--lr", "0.002"]
        try runCommand(arguments + ["--steps", "3"])
        try runCommand(arguments + ["--steps", "5", "--resume"])
        try assertSameTensors(notebook, commandLine, "two verb calls against --steps 3, then --resume --steps 5")

        // The verb's checkpoint resumes in the command line exactly as the command line's own does.
        try runCommand(arguments.map { $0 == commandLine ? notebook : $0 } + ["--steps", "7", "--resume"])
        try runCommand(arguments + ["--steps", "7", "--resume"])
        try assertSameTensors(notebook, commandLine, "both resumed to step 7")
        XCTAssertEqual(try Checkpoint.load(from: URL(fileURLWithPath: notebook)).step, 7)
    }

    /// `--mode` and the like are typed words (a misspelt one lists the choices), the ablation
    /// switches are `--[no-]experts` flags, and the checkpoint's configuration says what they set.
    func testCommandLineWordsAndSwitchesAreTyped() throws {
        let directory = try temporaryDirectory(self)
        let out = directory.appendingPathComponent("m.safetensors").path
        let base = ["train", "--data", DataFixtures.wordsPath, "--out", out, "--dim", "16", "--depth", "1", "--steps", "1", "--batch", "2"]
        let refused = try runCommand(base + ["--mode", "hybird"], expecting: 64)
        XCTAssertTrue(refused.contains("'hybird' is invalid for '--mode <mode>'") && refused.contains("'hybrid', 'ar' or 'diffusion'"), refused)
        try runCommand(base + ["--mode", "ar", "--tokens", "joint", "--no-experts", "--no-fusion"])
        let config = try Checkpoint.load(from: URL(fileURLWithPath: out)).model.config
        XCTAssertEqual([config.mode == .ar, config.tokens == .joint, config.experts, config.fusion, config.confidence],
                       [true, true, false, false, true])
    }

    @discardableResult
    private func runCommand(_ arguments: [String], expecting status: Int32 = 0) throws -> String {
        let (actual, text) = try runHybridsign(arguments)
        XCTAssertEqual(actual, status, text)
        return text
    }

    /// Every tensor (weights, averaged weights, optimiser moments, history) is equal bit for bit.
    private func assertSameTensors(_ a: String, _ b: String, _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let first = try SafeTensors.read(from: URL(fileURLWithPath: a)), second = try SafeTensors.read(from: URL(fileURLWithPath: b))
        XCTAssertEqual(Set(first.tensors.keys), Set(second.tensors.keys), context, file: file, line: line)
        XCTAssertTrue(first.tensors.keys.contains { $0.hasPrefix("adamw.") } && first.tensors.keys.contains { $0.hasPrefix("ema.") },
                      "\(context): the checkpoint holds the optimiser and the average", file: file, line: line)
        for (name, tensor) in first.tensors {
            let bits = tensor.scalars.map(\.bitPattern), other = second.tensors[name]?.scalars.map(\.bitPattern)
            XCTAssertEqual(bits, other, "\(context): \(name)", file: file, line: line)
        }
        XCTAssertEqual(first.metadata["step"], second.metadata["step"], context, file: file, line: line)
        XCTAssertEqual(first.metadata["training"], second.metadata["training"], context, file: file, line: line)
    }
}
