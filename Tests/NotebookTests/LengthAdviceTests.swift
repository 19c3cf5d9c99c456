import Foundation
import HybridSign
import Platform
import Tensors
import XCTest
@testable import Notebook

/// Long texts were cut silently and `frames:` past the model's maximum was taken without a word
/// (issue 17); on the bundled model, as the issue found them.
final class LengthAdviceTests: XCTestCase {
    func testCutTextsAndFramesPastTheMaximumAreWarnedAbout() throws {
        let (session, output) = makeSession()
        let model = repositoryRoot.appendingPathComponent("data/models/words-small.safetensors").path
        XCTAssertEqual(session.submit("let m = load \"\(model)\""), .success, output())
        XCTAssertEqual(session.submit("let word = sample m \"Baum\""), .success)
        XCTAssertFalse(output().contains("warning"), "a training-sized word is not cut: \(output())")
        XCTAssertEqual(session.submit("let long = sample m \"BaumBaumBaumBaum\""), .success)
        let long = try XCTUnwrap(session.interpreter.variables["long"]?.member("frames")?.number)
        XCTAssertLessThan(long, 130, "the progress head still stops near the longest training words")
        XCTAssertTrue(output().contains("warning: the sample stopped after \(Int(long)) frames, but the length model expects about 237 for 16 characters"),
                      output())
        XCTAssertEqual(session.submit("let past = sample m \"Baum\" frames: 201"), .success)
        XCTAssertTrue(output().contains("warning: frames: 201 is past this model's maximum of 200 frames"), output())
        XCTAssertEqual(session.interpreter.variables["past"]?.member("frames")?.number, 201, "a warning, not a refusal")
        let before = output().components(separatedBy: "warning").count
        XCTAssertEqual(session.submit("sample m \"Baum\" frames: 200"), .success)
        XCTAssertEqual(output().components(separatedBy: "warning").count, before, "the maximum itself is fine")
    }

    /// A model whose progress head never ends a sequence (a bias of −100 on the bundled model's
    /// head) is cut at the automatic limit: the notebook's `sample` says so as `hybridsign sample`
    /// does, with the same words (`LengthAdvice.progressNeverEnded`).
    func testAProgressHeadThatNeverEndsIsWarnedAboutInTheNotebookAndOnTheCommandLine() throws {
        let directory = try temporaryDirectory(self)
        let model = try HybridSignModel.load(contentsOf: repositoryRoot.appendingPathComponent("data/models/words-small.safetensors"))
        for (name, parameter) in model.network.namedParameters() where name == "progress_head.bias" {
            parameter.assign(Tensor(repeating: -100, shape: parameter.value.shape))
        }
        let endless = directory.appendingPathComponent("endless.safetensors")
        try model.save(to: endless)
        let warning = "the model's progress head did not end the sequence; it stops at "

        let (session, output) = makeSession()
        XCTAssertEqual(session.submit("let m = load \"\(endless.path)\""), .success, output())
        XCTAssertEqual(session.submit("let s = sample m \"Baum\""), .success, output())
        let frames = try XCTUnwrap(session.interpreter.variables["s"]?.member("frames")?.number)
        XCTAssertTrue(output().contains("warning: " + warning + "\(Int(frames)) frames"), output())
        XCTAssertEqual(session.submit("sample m \"Baum\" frames: 5"), .success)
        XCTAssertEqual(output().components(separatedBy: warning).count, 2, "a fixed length is not warned about")

        let (status, text) = try runHybridsign(["sample", endless.path, "Baum", "--out", directory.appendingPathComponent("s.json").path])
        XCTAssertEqual(status, 0, text)
        XCTAssertTrue(text.contains(warning + "\(Int(frames)) frames"), text)
        // The bundled model itself ends its sequences: no warning there.
        let bundled = repositoryRoot.appendingPathComponent("data/models/words-small.safetensors").path
        let ended = try runHybridsign(["sample", bundled, "Baum", "--out", directory.appendingPathComponent("b.json").path])
        XCTAssertFalse(ended.text.contains(warning), ended.text)
    }
}
