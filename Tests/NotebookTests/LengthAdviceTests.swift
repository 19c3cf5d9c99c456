import Foundation
import Platform
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
}
