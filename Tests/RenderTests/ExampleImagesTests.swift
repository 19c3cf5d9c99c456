import Foundation
import XCTest
@testable import Render

/// The images `hybridsign tool docs-images` and `tool previews` write: each file is a PNG of the
/// size it should be, with something drawn on it.
final class ExampleImagesTests: XCTestCase {
    func testDocsImagesAndPreviewsAreDrawnAtTheirSizes() throws {
        let directory = try makeTemporaryDirectory(self).appendingPathComponent("made/here")
        let uhr = try FixtureWords.word("Uhr"), ohr = try FixtureWords.word("Ohr")
        let docs = try ExampleImages.writeDocsImages(uhr: uhr, ohr: ohr, to: directory)
        let previews = try ExampleImages.writePreviews(of: uhr, to: directory)
        XCTAssertEqual((docs + previews).map(\.lastPathComponent),
                       ["render-sheet-uhr.png", "render-comparison.png", "render-plot.png",
                        "preview-frame.png", "preview-synthetic.png", "preview-font.png"])
        let sizes = try (docs + previews).map { url -> [Int] in
            let canvas = try PNG.read(from: url)
            let first = Array(canvas.pixels.prefix(4))
            XCTAssertTrue(stride(from: 0, to: canvas.pixels.count, by: 4).contains { Array(canvas.pixels[$0..<($0 + 4)]) != first },
                          "\(url.lastPathComponent) is not blank")
            return [canvas.width, canvas.height]
        }
        XCTAssertEqual(sizes[1], [2 * 192, 192], "two panels side by side")
        XCTAssertEqual(sizes[2], [384, 256])
        XCTAssertEqual(sizes[3], [512, 512], "a full-size frame")
        XCTAssertEqual(sizes[5], [6 * 32 * 2 + 8, 12 * 2 * 6 + 8])
    }
}
