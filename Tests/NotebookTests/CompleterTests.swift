import Foundation
import XCTest
@testable import Notebook

final class CompleterTests: XCTestCase {
    private func completer() throws -> Completer {
        var registry = VerbRegistry()
        registry.register(FakeRenderVerb())
        return Completer(registry: registry, variables: [
            "words": .list([]), "word_count": .number(2), "s": .sample(try tinySample(frames: 1)), "_1": .number(3),
        ])
    }

    func testVerbsVariablesAndKeywordsAtTheStartOfAStatement() throws {
        let completer = try completer()
        XCTAssertEqual(completer.completions(forLinePrefix: "re"), ["read_lines", "render", "resample"])
        XCTAssertEqual(completer.completions(forLinePrefix: "wo"), ["word_count", "words"])
        XCTAssertEqual(completer.completions(forLinePrefix: "l"), ["len", "let", "load"])
        XCTAssertEqual(completer.completions(forLinePrefix: "let x = ra"), ["range"])
        XCTAssertEqual(completer.completions(forLinePrefix: "show 1; pr"), ["print"])
        XCTAssertEqual(completer.completions(forLinePrefix: "for w in words { sh"), ["show"])
    }

    func testNamedArgumentsAndConnectorsOfTheVerbBeingTyped() throws {
        let completer = try completer()
        XCTAssertEqual(completer.completions(forLinePrefix: "render s "), [
            "false", "fps:", "none", "s", "scale:", "to", "true", "vs", "word_count", "words",
        ])
        XCTAssertEqual(completer.completions(forLinePrefix: "render s to \"x\" f"), ["false", "fps:"])
        XCTAssertEqual(completer.completions(forLinePrefix: "render s fps: 2 to \"x\" f"), ["false"], "given names are not offered again")
        XCTAssertEqual(completer.completions(forLinePrefix: "render (range st"), ["step:"], "the innermost verb counts")
        XCTAssertEqual(completer.completions(forLinePrefix: "show [wo"), ["word_count", "words"])
    }

    func testMembersAfterADot() throws {
        let completer = try completer()
        XCTAssertEqual(completer.completions(forLinePrefix: "show s.f"), ["s.fps", "s.frames"])
        XCTAssertEqual(completer.completions(forLinePrefix: "nothing.f"), [])
    }

    func testResultsOnlyWhenAsked() throws {
        let completer = try completer()
        XCTAssertEqual(completer.completions(forLinePrefix: "show _"), ["_1"])
    }

    func testSessionCommands() throws {
        let completer = try completer()
        XCTAssertEqual(completer.completions(forLinePrefix: ":h"), ["help", "history"])
        XCTAssertEqual(completer.completions(forLinePrefix: ":help ra"), ["range"])
        XCTAssertEqual(completer.completions(forLinePrefix: ":time pr"), ["print"])
    }

    func testFilePathsInsideStrings() throws {
        let directory = try temporaryDirectory(self)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("runs"), withIntermediateDirectories: true)
        try Data().write(to: directory.appendingPathComponent("train.pkl"))
        try Data().write(to: directory.appendingPathComponent("texts.txt"))
        try Data().write(to: directory.appendingPathComponent(".hidden"))
        let completer = try completer()
        let base = directory.path + "/"
        XCTAssertEqual(completer.completions(forLinePrefix: "let t = read_lines \"\(base)t"), [base + "texts.txt", base + "train.pkl"])
        XCTAssertEqual(completer.completions(forLinePrefix: "read_lines \"\(base)r"), [base + "runs/"])
        XCTAssertEqual(completer.completions(forLinePrefix: ":load \(base)te"), [base + "texts.txt"])
        XCTAssertEqual(completer.completions(forLinePrefix: "read_lines \"\(base)"), [base + "runs/", base + "texts.txt", base + "train.pkl"])
    }

    func testWordBoundaries() {
        XCTAssertEqual(Completer.word(in: "render s fps: 2 to \"out/ba"), "out/ba")
        XCTAssertEqual(Completer.word(in: "show s.fr"), "s.fr")
        XCTAssertEqual(Completer.word(in: ":he"), "he")
        XCTAssertTrue(Completer.isInsideString("x \"a\\\"b"))
        XCTAssertFalse(Completer.isInsideString("x \"a\" # \""))
    }
}
