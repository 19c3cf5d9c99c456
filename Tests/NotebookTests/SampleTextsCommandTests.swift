import Foundation
import PoseData
import XCTest

/// `hybridsign sample MODEL --texts FILE --out DIR`: one file per text, named by line number and
/// text, each equal to `sample MODEL TEXT` with its seed; bad input refused before sampling.
final class SampleTextsCommandTests: XCTestCase {
    private static let model = repositoryRoot.appendingPathComponent("data/models/words-small.safetensors").path

    private func textsFile(_ content: String, in directory: URL, name: String = "texts.txt") throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(content.utf8).write(to: url)
        return url.path
    }

    /// Blank lines are skipped with a note, CRLF and surrounding spaces are trimmed, the k-th
    /// text gets seed + k, and each file equals the single-text command's output.
    func testOneFilePerTextEqualToSampleAlone() throws {
        let directory = try temporaryDirectory(self)
        let texts = try textsFile("Baum\n\nHaus\r\n  Uhr \nBaum\n", in: directory)
        let out = directory.appendingPathComponent("out")
        let run = try runHybridsign(["sample", Self.model, "--texts", texts, "--out", out.path, "--batch", "2", "--seed", "5",
                                     "--temperature", "0.5", "--quiet"])
        XCTAssertEqual(run.status, 0, run.text)
        XCTAssertTrue(run.text.contains("skipped 1 blank line (2)"), run.text)
        XCTAssertTrue(run.text.contains("4 of 4 sequences"), run.text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(),
                       ["1-baum.json", "3-haus.json", "4-uhr.json", "5-baum.json"])
        for (k, (name, text)) in [("1-baum", "Baum"), ("3-haus", "Haus"), ("4-uhr", "Uhr"), ("5-baum", "Baum")].enumerated() {
            let alone = directory.appendingPathComponent("alone-\(k).json").path
            let single = try runHybridsign(["sample", Self.model, text, "--seed", String(5 + k), "--temperature", "0.5", "--out", alone])
            XCTAssertEqual(single.status, 0, single.text)
            let batched = try PoseIO.load(contentsOf: out.appendingPathComponent(name + ".json")).samples[0]
            let expected = try PoseIO.load(contentsOf: URL(fileURLWithPath: alone)).samples[0]
            XCTAssertEqual(batched.text, text)
            XCTAssertEqual(batched.frameCount, expected.frameCount, name)
            var worst: Float = 0
            for (a, b) in zip(batched.values, expected.values) { worst = max(worst, abs(a - b) / max(1, abs(a), abs(b))) }
            // Rounding differences of the taller products compound over ~60 fed-back frames of a
            // trained model: measured up to 4e-4 of the value (~0.1 pixel).
            XCTAssertLessThan(worst, 2e-3, "\(name): batched equals alone")
        }
        XCTAssertNotEqual(try PoseIO.load(contentsOf: out.appendingPathComponent("1-baum.json")).samples[0].values,
                          try PoseIO.load(contentsOf: out.appendingPathComponent("5-baum.json")).samples[0].values,
                          "the same text at another line has another seed")
    }

    /// The format option, and names made of ASCII letters and digits (the bundled model reads
    /// letters only, so no text here holds a separator or a dot); the line number padded to the widest.
    func testFormatAndSafeNames() throws {
        let directory = try temporaryDirectory(self)
        let lines = ["ÜbungÄ", "ÖÄÜ", "OhrÜBaum"] + Array(repeating: "Haus", count: 7)
        let texts = try textsFile(lines.joined(separator: "\n"), in: directory)
        let out = directory.appendingPathComponent("out")
        let run = try runHybridsign(["sample", Self.model, "--texts", texts, "--out", out.path, "--format", "pose", "--frames", "3"])
        XCTAssertEqual(run.status, 0, run.text)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(names.count, 10)
        XCTAssertEqual(Array(names.prefix(4)), ["01-bung.pose", "02-text.pose", "03-ohr-baum.pose", "04-haus.pose"])
        XCTAssertEqual(try PoseIO.load(contentsOf: out.appendingPathComponent("01-bung.pose")).samples[0].frameCount, 3)
    }

    /// Each bad input is refused with what was wrong, before any file is written.
    func testBadInputIsRefused() throws {
        let directory = try temporaryDirectory(self)
        let out = directory.appendingPathComponent("out").path
        let cases: [(arguments: [String], message: String)] = [
            (["--texts", directory.appendingPathComponent("none.txt").path], "does not exist; check the path"),
            (["--texts", directory.path], "is a directory, not a text file"),
            (["--texts", try textsFile("Baum\u{0}\n", in: directory, name: "nul.txt")], "is not a text file (a NUL byte at offset 4)"),
            (["--texts", try textsFile("", in: directory, name: "t0.txt")], "has no text (the file is empty)"),
            (["--texts", try textsFile("\n  \n\r\n", in: directory, name: "t1.txt")], "has no text (only blank lines)"),
            (["--texts", try textsFile("Baum\nHaus€\n", in: directory, name: "t2.txt")], "line 2: the model does not know the characters '€'"),
            (["--texts", try textsFile("Baum\n", in: directory, name: "t3.txt"), "--batch", "0"], "--batch must be between 1 and 256, not 0"),
            (["--texts", try textsFile("Baum\n", in: directory, name: "t4.txt"), "--batch=-3"], "--batch must be between 1 and 256"),
            (["--texts", try textsFile("Baum\n", in: directory, name: "t5.txt"), "--signer", "ase"], "line 1:"),
            (["Baum", "--texts", try textsFile("Baum\n", in: directory, name: "t6.txt")], "give either a text or --texts FILE, not both"),
            ([], "give a text to sign, or --texts FILE"),
            (["Baum", "--batch", "2"], "--batch, --format and --quiet go with --texts FILE"),
        ]
        for (arguments, message) in cases {
            let run = try runHybridsign(["sample", Self.model] + arguments + ["--out", out])
            XCTAssertNotEqual(run.status, 0, "\(arguments): \(run.text)")
            XCTAssertTrue(run.text.contains(message), "\(arguments): expected '\(message)' in:\n\(run.text)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(arguments): nothing written")
        }
        try Data([0x42, 0xff, 0xfe, 0x0a]).write(to: directory.appendingPathComponent("binary.txt"))
        let binary = try runHybridsign(["sample", Self.model, "--texts", directory.appendingPathComponent("binary.txt").path, "--out", out])
        XCTAssertTrue(binary.text.contains("is not UTF-8 text"), binary.text)
    }
}
