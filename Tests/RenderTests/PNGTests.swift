import Foundation
import TestSupport
import XCTest
@testable import Render

final class PNGTests: XCTestCase {
    /// A canvas with a gradient, lines and text, so every filter type has work to do.
    private func sampleCanvas(opaque: Bool) throws -> Canvas {
        var canvas = try Canvas(width: 97, height: 61, background: opaque ? .charcoal : .clear)
        for y in 0..<61 {
            for x in 0..<97 where (x + y) % 7 == 0 {
                canvas.blend(x: x, y: y, color: Color(r: UInt8(x * 2), g: UInt8(y * 4), b: 128, a: opaque ? 255 : UInt8(60 + y)))
            }
        }
        canvas.strokeLine(from: Point(3, 50), to: Point(90, 8), width: 5, color: Color(hex: 0xFF8800, alpha: 200))
        canvas.drawText("PNG ÄÖÜ", x: 4, y: 4, color: .white)
        return canvas
    }

    func testRoundTripThroughLibpng() throws {
        let directory = try makeTemporaryDirectory(self)
        for opaque in [true, false] {
            let canvas = try sampleCanvas(opaque: opaque)
            let url = directory.appendingPathComponent("sample-\(opaque).png")
            try PNG.write(canvas, to: url)
            XCTAssertEqual(try PNG.read(from: url), canvas)
            try PNG.write(canvas, to: url, fast: true)
            XCTAssertEqual(try PNG.read(from: url), canvas, "fast encoding is lossless too")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary files left behind")
    }

    func testIndependentDecoderReadsTheSamePixels() throws {
        let directory = try makeTemporaryDirectory(self)
        let script = FixtureWords.directory.appendingPathComponent("png_decode.py")
        for opaque in [true, false] {
            let canvas = try sampleCanvas(opaque: opaque)
            let png = directory.appendingPathComponent("independent-\(opaque).png")
            let raw = directory.appendingPathComponent("independent-\(opaque).rgba")
            try PNG.write(canvas, to: png)
            let header = String(decoding: try PythonReference.run(file: script, arguments: [png.path, raw.path]), as: UTF8.self)
            XCTAssertEqual(header.trimmingCharacters(in: .whitespacesAndNewlines), "97 61 \(opaque ? 2 : 6)",
                           "size and colour type (RGB when opaque)")
            XCTAssertEqual(try [UInt8](Data(contentsOf: raw)), canvas.pixels)
        }
    }

    func testUnwritableDirectoryGivesAClearError() throws {
        let canvas = try Canvas(width: 4, height: 4, background: .white)
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/frame.png")
        XCTAssertThrowsError(try PNG.write(canvas, to: missing)) { error in
            XCTAssertTrue("\(error)".contains("cannot write"), "\(error)")
            XCTAssertTrue("\(error)".contains(missing.deletingLastPathComponent().path), "\(error)")
        }
        // A directory path that is a file.
        let directory = try makeTemporaryDirectory(self)
        let file = directory.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try FrameSequenceWriter(directory: file, frameCount: 3)) { error in
            XCTAssertTrue("\(error)".contains("is not a directory"), "\(error)")
        }
        XCTAssertThrowsError(try PNGRender.frames(of: tinySequence([[(0, 0, 1), (1, 1, 1), (0, 0, 0)]]),
                                               to: file.appendingPathComponent("sub"))) { error in
            XCTAssertTrue("\(error)".contains("cannot create directory"), "\(error)")
        }
    }

    func testReadingANonPNGFails() throws {
        let directory = try makeTemporaryDirectory(self)
        let url = directory.appendingPathComponent("not.png")
        try Data("definitely not a png".utf8).write(to: url)
        XCTAssertThrowsError(try PNG.read(from: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
        }
        XCTAssertThrowsError(try PNG.read(from: directory.appendingPathComponent("absent.png")))
    }
}
