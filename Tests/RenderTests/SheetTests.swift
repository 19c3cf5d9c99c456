import Foundation
import XCTest
@testable import Render

final class SheetTests: XCTestCase {
    func testContactSheetShowsEveryKthFrame() throws {
        let sequence = try FixtureWords.word("Mai")
        let sheet = ContactSheet(options: RenderOptions(width: 256, height: 256), tileWidth: 64, tileHeight: 64, every: 5, columns: 4)
        XCTAssertEqual(sheet.frameIndices(frameCount: sequence.frameCount), Array(stride(from: 0, to: 42, by: 5)))
        var reported: [(Int, Int)] = []
        let canvas = try sheet.render(sequence, progress: { reported.append(($0, $1)) })
        XCTAssertEqual(reported.count, 9)
        XCTAssertEqual(reported.last?.0, 9)
        // 4 columns × 3 rows of 64 px tiles with 3 px gaps, under a title band.
        XCTAssertEqual(canvas.width, 4 * 64 + 5 * 3)
        XCTAssertEqual(canvas.height, 12 + 6 + 3 * (64 + 12) + 4 * 3, "title band, 3 rows of tiles with label strips, gaps")
        // Default: at most 24 tiles.
        XCTAssertLessThanOrEqual(ContactSheet().frameIndices(frameCount: 141).count, 24)
        XCTAssertEqual(ContactSheet().frameIndices(frameCount: 5), [0, 1, 2, 3, 4])
    }

    func testComparisonHoldsTheShorterSequencesLastFrame() throws {
        let words = try FixtureWords.load()
        let short = try XCTUnwrap(words.first { $0.text == "Mai" }), long = try XCTUnwrap(words.first { $0.text == "Ohr" })
        XCTAssertLessThan(short.frameCount, long.frameCount)
        var options = RenderOptions(width: 96, height: 96)
        options.caption = false
        let comparison = try Comparison([short, long], labels: ["generated", "reference"], options: options)
        XCTAssertEqual(comparison.frameCount, long.frameCount)
        let last = try comparison.frame(short.frameCount - 1), beyond = try comparison.frame(long.frameCount - 1)
        XCTAssertEqual(last.width, 192)
        // The left panel is identical once the short sequence has ended; the right one moved on.
        func panel(_ canvas: Canvas, _ index: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            for y in 0..<96 {
                let start: Int = (y * 192 + index * 96) * 4
                bytes += canvas.pixels[start..<(start + 96 * 4)]
            }
            return bytes
        }
        XCTAssertEqual(panel(last, 0), panel(beyond, 0))
        XCTAssertNotEqual(panel(last, 1), panel(beyond, 1))
        XCTAssertThrowsError(try comparison.frame(long.frameCount))
        XCTAssertThrowsError(try Comparison([short, long], labels: ["only one"]))
        XCTAssertThrowsError(try Comparison([]))
    }

    func testComparisonFilesAndSheet() throws {
        let words = try FixtureWords.load()
        let directory = try makeTemporaryDirectory(self)
        var options = RenderOptions(width: 64, height: 64)
        options.caption = false
        let files = try PNGRender.comparison(Array(words.prefix(2)), to: directory, options: options)
        XCTAssertEqual(files.frames.count, max(words[0].frameCount, words[1].frameCount))
        let sheetURL = try XCTUnwrap(files.sheet)
        let sheet = try PNG.read(from: sheetURL)
        // A filmstrip: 8 sampled frames across, one row per sequence, labels ("gsg-mai-0", 53 px) on the left.
        XCTAssertEqual(sheet.width, (53 + 3) + 8 * 160 + 9 * 3)
        XCTAssertEqual(sheet.height, (12 + 6) + 2 * (160 + 12) + 3 * 3)
        let frame = try PNG.read(from: files.frames[0])
        XCTAssertEqual(frame.width, 128)
    }

    func testFrameDirectoryIsRewrittenWithoutStaleFrames() throws {
        let directory = try makeTemporaryDirectory(self)
        let long = try tinySequence(Array(repeating: [(0, 0, 1), (10, 10, 1), (0, 0, 0)], count: 6))
        let short = try tinySequence(Array(repeating: [(0, 0, 1), (10, 10, 1), (0, 0, 0)], count: 3))
        let options = RenderOptions(width: 32, height: 32)
        try PNGRender.frames(of: long, to: directory, options: options)
        try Data("keep".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let second = try PNGRender.frames(of: short, to: directory, options: options)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(names, ["frame_0000.png", "frame_0001.png", "frame_0002.png", "notes.txt", "sheet.png"])
        XCTAssertEqual(second.frames.count, 3)
        XCTAssertEqual(second.sheet?.lastPathComponent, "sheet.png")
    }

    func testCancellationStopsARender() throws {
        let directory = try makeTemporaryDirectory(self)
        let sequence = try SyntheticSigner.sequence(frames: 20, seed: 1)
        var progress: [Int] = []
        XCTAssertThrowsError(try PNGRender.frames(of: sequence, to: directory, options: RenderOptions(width: 32, height: 32),
                                               progress: { done, _ in progress.append(done) },
                                               isCancelled: { progress.count >= 5 })) { error in
            XCTAssertEqual(error as? RenderError, .cancelled)
        }
        XCTAssertEqual(progress, [1, 2, 3, 4, 5])
    }
}
