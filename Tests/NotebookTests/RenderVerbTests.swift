import Foundation
import Platform
import PoseData
import Render
import XCTest
@testable import Notebook

final class RenderVerbTests: XCTestCase {
    func testRendersFramesAndASheetAndAttachesThem() throws {
        let directory = try temporaryDirectory(self)
        let (session, printed) = makeSession()
        session.interpreter.setVariable("s", try DataFixtures.variables()["s"]!)
        let out = directory.appendingPathComponent("uhr").path
        XCTAssertEqual(session.submit("let r = render s to \"\(out)\" size: 64"), .success, printed())
        let frames = try value(of: "r.frames", variables: session.interpreter.variables).list?.compactMap(\.string) ?? []
        XCTAssertEqual(frames.count, 12)
        XCTAssertEqual(frames.first, out + "/frame_0000.png")
        for frame in frames {
            let canvas = try PNG.read(from: URL(fileURLWithPath: frame))
            XCTAssertEqual([canvas.width, canvas.height], [64, 64], frame)
        }
        let sheet = try XCTUnwrap(try value(of: "r.sheet", variables: session.interpreter.variables).string)
        XCTAssertEqual(sheet, out + "/sheet.png")
        XCTAssertGreaterThan(try PNG.read(from: URL(fileURLWithPath: sheet)).width, 64)
        XCTAssertEqual(try value(of: "r.dir", variables: session.interpreter.variables).string, out)
        XCTAssertEqual(session.cells.last?.artifacts.map(\.kind), [.image, .directory])
        XCTAssertEqual(session.cells.last?.artifacts.first?.caption, "contact sheet of 'gsg-uhr-0'")
        XCTAssertEqual(session.submit("show r"), .success)
        XCTAssertTrue(printed().contains("frames     12 × 64×64 px: frame_0000.png … frame_0011.png"), printed())
        XCTAssertEqual(session.submit("r"), .success)
        XCTAssertTrue(printed().contains("rendered 'gsg-uhr-0': 12 frames (64×64) in \(out), sheet \(out)/sheet.png"), printed())
    }

    func testComparisonOfThreeSamplesWithLabels() throws {
        let directory = try temporaryDirectory(self).appendingPathComponent("cmp").path
        var variables = try DataFixtures.variables()
        variables["out"] = .string(directory)
        let result = try value(of: "render d[0] vs d[1] vs d[2] to out size: 48 sheet: false caption: false labels: [\"M\", \"U\", \"O\"]",
                               variables: variables)
        XCTAssertEqual(result.member("labels")?.list?.compactMap(\.string), ["M", "U", "O"])
        XCTAssertTrue(result.member("sheet")?.isNone == true)
        let frames = result.member("frames")?.list?.compactMap(\.string) ?? []
        XCTAssertEqual(frames.count, 12)
        let canvas = try PNG.read(from: URL(fileURLWithPath: frames[0]))
        XCTAssertEqual(canvas.height, 48)
        XCTAssertGreaterThanOrEqual(canvas.width, 3 * 48, "three panels side by side")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/sheet.png"))
    }

    func testArgumentErrorsPointAtTheArgument() throws {
        var variables = try DataFixtures.variables()
        variables["out"] = .string(try temporaryDirectory(self).path)
        let part = try XCTUnwrap(failureLocation("render s to out parts: [\"rigt_hand\"]", variables: variables))
        XCTAssertEqual(part.message, "layout 'openpose137' has no part 'rigt_hand' — did you mean 'right_hand' or 'left_hand'?")
        XCTAssertEqual(part.at, "1:24")
        let background = try XCTUnwrap(failureLocation("render s to out background: \"grey\"", variables: variables))
        XCTAssertEqual(background.message, "unknown background 'grey'")
        XCTAssertEqual(background.at, "1:29")
        let size = try XCTUnwrap(failureLocation("render s to out size: 8", variables: variables))
        XCTAssertEqual(size.message, "render's 'size' must be between 16 and 4096, got 8")
        // A dataset of several samples beside another sample is refused, naming the dataset.
        let many = try XCTUnwrap(failureLocation("render s vs d to out", variables: variables))
        XCTAssertEqual(many.message, "render needs one sample, got a dataset of 3 samples")
        XCTAssertEqual(many.at, "1:13")
        XCTAssertEqual(many.hint, "pick one: d[0], or find d \"TEXT\"; or loop: for s in d { … }")
        let labels = try XCTUnwrap(failureLocation("render s vs d[0] to out labels: [\"a\"]", variables: variables))
        XCTAssertEqual(labels.message, "render draws 2 panels but got 1 labels")
        let type = try XCTUnwrap(failureLocation("render 3 to out", variables: variables))
        XCTAssertEqual(type.message, "render expects a sample or dataset, got a number")
        let missing = try XCTUnwrap(failureLocation("render s", variables: variables))
        XCTAssertEqual(missing.message, "render needs 'to DIR|FILE.gif' (the output directory (created when missing), or a .gif (or .mp4, with ffmpeg) file for an animation)")
    }

    func testUsageShowsTheRepeatableConnector() throws {
        let signature = try XCTUnwrap(VerbRegistry().verb(named: "render")?.signature)
        XCTAssertTrue(signature.usage.hasPrefix("render SAMPLE|DATASET [vs SAMPLE|DATASET…] to DIR|FILE.gif [size: NUMBER]"), signature.usage)
        var variables = try DataFixtures.variables()
        variables["out"] = .string("/tmp")
        let twice = try XCTUnwrap(failureLocation("render s to out to out", variables: variables))
        XCTAssertEqual(twice.message, "'to' is given twice")
    }

    func testCtrlCStopsARender() throws {
        let interrupt = InterruptFlag()
        // On a terminal the first progress line arrives after the first frame: press Ctrl-C then.
        let output = NotebookOutput(isTerminal: true, standardOutput: { _ in }, standardError: { _ in interrupt.set() })
        let session = Session(output: output, interrupt: interrupt)
        session.interpreter.setVariable("s", try DataFixtures.variables()["s"]!)
        let directory = try temporaryDirectory(self).appendingPathComponent("stopped").path
        XCTAssertEqual(session.submit("render s to \"\(directory)\" size: 32"), .interrupted)
        let written = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        XCTAssertLessThan(written.filter { $0.hasPrefix("frame_") }.count, 12)
    }

    func testGIFPathWritesOneAnimationNotADirectory() throws {
        let directory = try temporaryDirectory(self)
        let (session, printed) = makeSession()
        session.interpreter.setVariable("s", try DataFixtures.variables()["s"]!)
        let path = directory.appendingPathComponent("out/w.gif").path
        XCTAssertEqual(session.submit("let a = render s to \"\(path)\" size: 48"), .success, printed())
        var isDirectory: ObjCBool = true
        XCTAssertTrue(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory))
        XCTAssertFalse(isDirectory.boolValue, "render … to \"out/w.gif\" writes a file, not a directory called w.gif")
        let variables = session.interpreter.variables
        XCTAssertEqual(try value(of: "a.frames", variables: variables).number, 12)
        XCTAssertEqual(try value(of: "a.fps", variables: variables).number, 6.25, "the sample's own frame rate")
        XCTAssertEqual(try value(of: "a.path", variables: variables).string, path)
        let figure = try XCTUnwrap(session.cells.last?.figures.first)
        XCTAssertEqual(figure.format, .gif)
        XCTAssertEqual(figure.data, try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(figure.caption, "animation of 'gsg-uhr-0'")
        XCTAssertEqual(session.submit("a"), .success)
        XCTAssertTrue(printed().contains("animated 'gsg-uhr-0': 12 frames at 6.25 fps (1.92 s), 48×48"), printed())
        XCTAssertEqual(session.submit("(render s vs s to \"\(path)\" size: 32 fps: 4).seconds"), .success)
        XCTAssertTrue(printed().hasSuffix("3\n"), printed())
    }

    func testRenderRefusesOtherFileNamesAndFpsWithoutAnimation() throws {
        var variables = try DataFixtures.variables()
        variables["out"] = .string(try temporaryDirectory(self).path)
        let png = try XCTUnwrap(failureLocation("render s to out + \"/w.png\"", variables: variables))
        XCTAssertTrue(png.message.hasPrefix("render writes PNG frames into a directory, an animated .gif or an .mp4 video;"), png.message)
        let fps = try XCTUnwrap(failureLocation("render s to out + \"/w\" fps: 5", variables: variables))
        XCTAssertTrue(fps.message.hasPrefix("fps: sets the playback rate of an animation"), fps.message)
        let zero = try XCTUnwrap(failureLocation("render s to out + \"/w.gif\" fps: 0", variables: variables))
        XCTAssertTrue(zero.message.contains("must be a positive number"), zero.message)
    }
}
