import Foundation
import XCTest

/// The model verbs in the real REPL: completion of their words, and Ctrl-C during training.
final class ModelEndToEndTests: XCTestCase {
    func testCtrlCStopsTrainingAtThePromptAndKeepsTheModel() throws {
        let home = try temporaryDirectory(self)
        let repl = try PseudoTerminalProcess(
            executable: try hybridsignExecutable(),
            environment: ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
        try repl.expectPrompt("[1]> ")
        repl.send("let d = load \"\(DataFixtures.wordsPath)\"\r")
        try repl.expectPrompt("[2]> ")

        // Tab completes the mode word from the verb's declaration.
        repl.send("let m = model hyb\t")
        try repl.expect("hybrid")
        repl.send("dim: 16 depth: 1 heads: 2 mlp: 32\r")
        try repl.expectPrompt("[3]> ")

        // A run far too long to finish: the progress line shows at once on a terminal.
        repl.send("train m on d steps: 10000000 batch: 2\r")
        try repl.expect("train  ")
        try repl.expect("tok/s")
        repl.send("\u{03}")
        try repl.expect("stopped by Ctrl-C at step ")
        try repl.expect("kept the model as trained so far")
        try repl.expectPrompt("[4]> ")

        // The model is usable at once.
        repl.send("sample m \"Uhr\" frames: 3\r")
        try repl.expect("3 frames")
        try repl.expectPrompt("[5]> ")
        repl.send("\u{04}")
        XCTAssertEqual(repl.waitForExit(), 0, repl.transcript)
    }
}
