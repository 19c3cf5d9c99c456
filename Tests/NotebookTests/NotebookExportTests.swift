import Foundation
import Render
import TestSupport
import XCTest
@testable import Notebook

/// `:export FILE.ipynb` and `:export FILE.md`: each cell keeps its own images, the notebook and its
/// images move together, and Jupyter's own validator accepts the `.ipynb`.
final class NotebookExportTests: XCTestCase {
    /// A session that renders the fixture sample twice to the same directory (the second render
    /// overwrites the first's sheet), prints, shows a table and fails once.
    private func session(in directory: URL) throws -> Session {
        let (session, printed) = makeSession()
        session.interpreter.setVariable("s", try DataFixtures.variables()["s"]!)
        let out = directory.appendingPathComponent("out/r").path
        XCTAssertEqual(session.submit("render s to \"\(out)\" size: 48"), .success, printed())
        XCTAssertEqual(session.submit("print \"between\"\nrender s to \"\(out)\" size: 96 background: \"white\""), .success, printed())
        XCTAssertEqual(session.submit("compare s vs s"), .success, printed())
        XCTAssertEqual(session.submit("1 / 0"), .failure)
        return session
    }

    func testEachCellKeepsItsOwnImage() throws {
        let directory = try temporaryDirectory(self)
        let session = try session(in: directory)
        let first = try XCTUnwrap(session.cells[0].figures.first)
        let second = try XCTUnwrap(session.cells[1].figures.first)
        XCTAssertEqual(first.path, second.path, "both cells wrote the same file")
        XCTAssertNotEqual(first.data, second.data, "the first cell keeps the sheet it made")
        XCTAssertEqual(first.format, .png)
        XCTAssertEqual(second.data, try Data(contentsOf: URL(fileURLWithPath: second.path)))
    }

    func testMarkdownCopiesImagesBesideItself() throws {
        let directory = try temporaryDirectory(self)
        let session = try session(in: directory)
        let notebook = directory.appendingPathComponent("notes/session.md").path
        XCTAssertEqual(session.submit(":export \(notebook)"), .success)
        let markdown = try String(contentsOfFile: notebook, encoding: .utf8)
        XCTAssertTrue(markdown.contains("![contact sheet of 'gsg-uhr-0'](session_files/cell1-sheet.png)"), markdown)
        XCTAssertTrue(markdown.contains("![contact sheet of 'gsg-uhr-0'](session_files/cell2-sheet.png)"), markdown)
        XCTAssertFalse(markdown.contains("out/r/sheet.png)"), "images are not linked into out/")
        XCTAssertTrue(markdown.contains("[12 frames of 'gsg-uhr-0'](../out/r)"), "frame directories stay links")
        let files = directory.appendingPathComponent("notes/session_files")
        XCTAssertEqual(try Data(contentsOf: files.appendingPathComponent("cell1-sheet.png")), session.cells[0].figures[0].data)
        XCTAssertEqual(try Data(contentsOf: files.appendingPathComponent("cell2-sheet.png")), session.cells[1].figures[0].data)
        // Moved elsewhere with its folder, the notebook still finds its images.
        let moved = directory.appendingPathComponent("moved")
        try FileManager.default.moveItem(at: directory.appendingPathComponent("notes"), to: moved)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("out"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: moved.appendingPathComponent("session_files/cell2-sheet.png").path))
    }

    func testJupyterNotebookEmbedsImagesAndPassesNbformat() throws {
        let directory = try temporaryDirectory(self)
        let session = try session(in: directory)
        let path = directory.appendingPathComponent("session.ipynb").path
        XCTAssertEqual(session.submit(":export \(path)"), .success)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("out"))  // embedded: nothing links out
        let script = """
        import base64, json, sys
        import nbformat
        notebook = nbformat.read(sys.argv[1], as_version=4)
        nbformat.validate(notebook)
        cells = [c for c in notebook.cells if c.cell_type == "code"]
        summary = {
            "kernel": notebook.metadata.kernelspec.name,
            "counts": [c.execution_count for c in cells],
            "types": [[o.output_type for o in c.outputs] for c in cells],
            "images": [[base64.b64decode(o.data["image/png"])[:8].hex() for o in c.outputs if "image/png" in o.get("data", {})] for c in cells],
            "stdout": ["".join(o.text for o in c.outputs if o.output_type == "stream") for c in cells],
            "html": [any("text/html" in o.get("data", {}) for o in c.outputs) for c in cells],
            "errors": [[o.ename for o in c.outputs if o.output_type == "error"] for c in cells],
            "traceback": [o.traceback for c in cells for o in c.outputs if o.output_type == "error"],
        }
        print(json.dumps(summary))
        """
        let output = try PythonReference.run(script, arguments: [path])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: output) as? [String: Any])
        XCTAssertEqual(summary["kernel"] as? String, "hybridsign")
        XCTAssertEqual(summary["counts"] as? [Int], [1, 2, 3, 4])
        let types = try XCTUnwrap(summary["types"] as? [[String]])
        XCTAssertEqual(types[0], ["display_data", "execute_result"], "the sheet, then the rendering's value")
        XCTAssertEqual(types[1], ["stream", "display_data", "execute_result"])
        XCTAssertEqual(types[3], ["error"])
        let images = try XCTUnwrap(summary["images"] as? [[String]])
        XCTAssertEqual(images[0], ["89504e470d0a1a0a"])
        XCTAssertEqual(images[1], ["89504e470d0a1a0a"])
        XCTAssertEqual((summary["stdout"] as? [String])?[1], "between\n")
        XCTAssertEqual(summary["html"] as? [Bool], [false, false, true, false], "the comparison table carries HTML")
        XCTAssertEqual(summary["errors"] as? [[String]], [[], [], [], ["Error"]])
        let traceback = try XCTUnwrap((summary["traceback"] as? [[String]])?.first)
        XCTAssertTrue(traceback.joined(separator: "\n").contains("division by zero"))
        XCTAssertTrue(traceback.contains { $0.contains("^") }, "the caret is kept")
    }

    func testUnknownExportFormatIsRefusedWithTheChoices() throws {
        let (session, printed) = makeSession()
        XCTAssertEqual(session.submit(":export notes.txt"), .failure)
        XCTAssertTrue(printed().contains("end it in .md for Markdown or .ipynb for a Jupyter notebook"), printed())
    }
}
