import Foundation
import TestSupport
import XCTest
@testable import Render

/// The animated GIF encoder, checked against an independent decoder (Pillow).
final class GIFTests: XCTestCase {
    /// Decodes `url` with Pillow: per frame its duration (ms) and the RGBA pixels at `points`,
    /// as the frame is shown (with earlier frames under it).
    private func decode(_ url: URL, points: [(Int, Int)]) throws -> [(duration: Int, pixels: [[Int]])] {
        let script = """
        import json, sys
        from PIL import Image, ImageSequence
        image = Image.open(sys.argv[1])
        assert image.format == "GIF", image.format
        points = json.loads(sys.argv[2])
        frames = []
        for frame in ImageSequence.Iterator(image):
            rgba = frame.convert("RGBA")
            frames.append({"duration": frame.info.get("duration"), "pixels": [list(rgba.getpixel((x, y))) for x, y in points],
                           "size": list(rgba.size)})
        print(json.dumps({"frames": frames, "loop": image.info.get("loop")}))
        """
        let pointsJSON = "[" + points.map { "[\($0.0), \($0.1)]" }.joined(separator: ",") + "]"
        let output = try PythonReference.run(script, arguments: [url.path, pointsJSON])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: output) as? [String: Any])
        XCTAssertEqual(json["loop"] as? Int, 0, "loops forever")
        let frames = try XCTUnwrap(json["frames"] as? [[String: Any]])
        return frames.map { ($0["duration"] as? Int ?? -1, $0["pixels"] as? [[Int]] ?? []) }
    }

    /// A canvas of four flat colours in quadrants, with a moving white square.
    private func frame(_ index: Int, size: Int = 40) throws -> Canvas {
        var canvas = try Canvas(width: size, height: size, background: Color(r: 20, g: 24, b: 30))
        canvas.fillRect(x: size / 2, y: 0, width: size / 2, height: size / 2, color: Color(r: 200, g: 40, b: 40))
        canvas.fillRect(x: 0, y: size / 2, width: size / 2, height: size / 2, color: Color(r: 40, g: 200, b: 40))
        canvas.fillRect(x: index * 4, y: index * 4, width: 6, height: 6, color: Color(r: 255, g: 255, b: 255))
        return canvas
    }

    func testFramesDecodeExactlyWithTheirDelays() throws {
        let frames = try (0..<5).map { try frame($0) }
        var encoder = try GIFEncoder(width: 40, height: 40, palette: GIFPalette(sampling: frames))
        for (index, canvas) in frames.enumerated() { try encoder.append(canvas, delay: index == 4 ? 10 : 4) }
        let url = try makeTemporaryDirectory(self).appendingPathComponent("squares.gif")
        try Data(encoder.finish()).write(to: url)
        let points = [(0, 0), (30, 5), (5, 30), (1, 1), (17, 17), (39, 39)]
        let decoded = try decode(url, points: points)
        XCTAssertEqual(decoded.count, 5)
        XCTAssertEqual(decoded.map(\.duration), [40, 40, 40, 40, 100])
        for (index, canvas) in frames.enumerated() {
            let expected = points.map { point -> [Int] in
                let color = canvas.pixel(x: point.0, y: point.1)!
                return [Int(color.r), Int(color.g), Int(color.b), 255]
            }
            XCTAssertEqual(decoded[index].pixels, expected, "frame \(index): fewer than 256 colours are kept exactly")
        }
    }

    /// The first frame of `url` as Pillow decodes it, RGBA bytes.
    private func decodeFirstFrame(_ url: URL) throws -> [UInt8] {
        let raw = url.deletingPathExtension().appendingPathExtension("rgba")
        try PythonReference.run("""
        import sys
        from PIL import Image
        open(sys.argv[2], "wb").write(Image.open(sys.argv[1]).convert("RGBA").tobytes())
        """, arguments: [url.path, raw.path])
        return Array(try Data(contentsOf: raw))
    }

    func testLongImagesWithEveryIndexDecodeExactly() throws {
        // 256 colours scattered by a seeded generator: every code width and many table restarts.
        let colors = (0..<256).map { (index: Int) -> Color in
            Color(r: UInt8(index), g: UInt8(truncatingIfNeeded: index * 7), b: UInt8(255 - index))
        }
        var canvas = try Canvas(width: 320, height: 200)
        var state: UInt64 = 42
        for y in 0..<200 {
            for x in 0..<320 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let run = (x / 3 + y) % 5 == 0  // runs of equal pixels too, for long codes
                canvas.blend(x: x, y: y, color: colors[run ? 17 : Int(state >> 56)])
            }
        }
        let palette = GIFPalette(sampling: [canvas])
        XCTAssertEqual(palette.colors.count, 256, "256 distinct colours are kept exactly")
        var encoder = try GIFEncoder(width: 320, height: 200, palette: palette)
        try encoder.append(canvas, delay: 5)
        let url = try makeTemporaryDirectory(self).appendingPathComponent("scatter.gif")
        try Data(encoder.finish()).write(to: url)
        let decoded = try decodeFirstFrame(url)
        XCTAssertEqual(decoded.count, canvas.pixels.count)
        let wrong = zip(decoded, canvas.pixels).filter { $0 != $1 }.count
        XCTAssertEqual(wrong, 0, "every pixel decodes to its colour")
    }

    func testManyColoursAreQuantisedClosely() throws {
        // A gradient with tens of thousands of distinct colours: median cut to 256.
        var canvas = try Canvas(width: 320, height: 200)
        for y in 0..<200 {
            for x in 0..<320 {
                canvas.blend(x: x, y: y, color: Color(r: UInt8(x * 255 / 319), g: UInt8(y * 255 / 199), b: UInt8((x + y) % 256)))
            }
        }
        let palette = GIFPalette(sampling: [canvas])
        XCTAssertEqual(palette.colors.count, 256)
        var encoder = try GIFEncoder(width: 320, height: 200, palette: palette)
        try encoder.append(canvas, delay: 5)
        let url = try makeTemporaryDirectory(self).appendingPathComponent("gradient.gif")
        try Data(encoder.finish()).write(to: url)
        let decoded = try decodeFirstFrame(url)
        let error = zip(decoded, canvas.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        let meanError = Double(error) / Double(320 * 200 * 3)
        XCTAssertLessThan(meanError, 12, "mean error per channel")
    }

    func testTransparentBackgroundStaysTransparent() throws {
        var canvas = try Canvas(width: 16, height: 16, background: .clear)
        canvas.fillRect(x: 4, y: 4, width: 8, height: 8, color: Color(r: 10, g: 120, b: 250))
        var encoder = try GIFEncoder(width: 16, height: 16, palette: GIFPalette(sampling: [canvas]))
        try encoder.append(canvas, delay: 4)
        let url = try makeTemporaryDirectory(self).appendingPathComponent("clear.gif")
        try Data(encoder.finish()).write(to: url)
        let decoded = try decode(url, points: [(0, 0), (8, 8)])
        XCTAssertEqual(decoded[0].pixels[0][3], 0)
        XCTAssertEqual(decoded[0].pixels[1], [10, 120, 250, 255])
    }

    func testUnchangedFramesCostAlmostNothing() throws {
        let still = try frame(0, size: 200)
        var encoder = try GIFEncoder(width: 200, height: 200, palette: GIFPalette(sampling: [still]))
        try encoder.append(still, delay: 4)
        let first = encoder.finish().count
        encoder = try GIFEncoder(width: 200, height: 200, palette: GIFPalette(sampling: [still]))
        for _ in 0..<10 { try encoder.append(still, delay: 4) }
        XCTAssertLessThan(encoder.finish().count, first + 10 * 40, "a repeated frame stores one pixel")
    }

    func testScheduleKeepsRealTimeAndDropsFramesAboveFiftyPerSecond() {
        let film = GIFSchedule(frameCount: 6, fps: 30)
        XCTAssertEqual(film.frames, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(film.delays, [3, 4, 3, 3, 4, 3])
        XCTAssertEqual(film.delays.reduce(0, +), 20, "6 frames at 30 fps last 0.2 s")
        let fast = GIFSchedule(frameCount: 10, fps: 100)
        XCTAssertEqual(fast.frames, [0, 2, 4, 6, 8])
        XCTAssertEqual(fast.delays.reduce(0, +), 10)
        XCTAssertEqual(GIFSchedule(frameCount: 3, fps: 12.5).delays, [8, 8, 8])
    }

    func testSequenceAnimationsAndComparisons() throws {
        let words = try FixtureWords.load()
        let directory = try makeTemporaryDirectory(self)
        let single = try AnimatedRender.gif([words[0]], to: directory.appendingPathComponent("a/one.gif"),
                                            options: RenderOptions(width: 64, height: 64))
        XCTAssertEqual(single.frames, words[0].frameCount)
        XCTAssertEqual(single.fps, words[0].fps)
        let bytes = try Data(contentsOf: single.url)
        XCTAssertEqual(bytes.count, single.bytes)
        XCTAssertTrue(bytes.starts(with: Array("GIF89a".utf8)))
        let pair = try AnimatedRender.gif([words[0], words[1]], labels: ["a", "b"], to: directory.appendingPathComponent("two.gif"),
                                          options: RenderOptions(width: 64, height: 64), fps: 5)
        XCTAssertEqual(pair.width, 128)
        XCTAssertEqual(pair.frames, max(words[0].frameCount, words[1].frameCount))
        XCTAssertEqual(pair.seconds, Double(pair.frames) / 5, accuracy: 1e-9)
        let decoded = try decode(pair.url, points: [(0, 0)])
        XCTAssertEqual(decoded.count, pair.frames)
        XCTAssertEqual(decoded[0].duration, 200)
        var cancelled = false
        XCTAssertThrowsError(try AnimatedRender.gif([words[0]], to: directory.appendingPathComponent("c.gif"),
                                                    progress: { _, _ in cancelled = true }, isCancelled: { cancelled })) { error in
            XCTAssertEqual(error as? RenderError, .cancelled)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("c.gif").path), "no half-written file")
        XCTAssertThrowsError(try AnimatedRender.gif([words[0]], to: directory.appendingPathComponent("d.gif"), fps: 0))
    }
}

/// `.mp4` through ffmpeg, with a stand-in ffmpeg that records what it was given.
final class VideoRenderTests: XCTestCase {
    private func fakeFFmpeg(in directory: URL, failing: Bool = false) throws -> String {
        let path = directory.appendingPathComponent("ffmpeg").path
        let body = failing
            ? "#!/bin/sh\ncat > /dev/null\necho 'Unknown encoder boom' >&2\nexit 1\n"
            : "#!/bin/sh\nout=\"\"\nfor a in \"$@\"; do out=\"$a\"; done\nbytes=$(wc -c | tr -d ' ')\nprintf '%s\\n%s\\n' \"$bytes\" \"$*\" > \"$out\"\n"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    func testFramesArePipedToFFmpegAtTheRate() throws {
        let directory = try makeTemporaryDirectory(self)
        let ffmpeg = try fakeFFmpeg(in: directory)
        XCTAssertEqual(VideoRender.ffmpeg(searchPath: "/nonexistent:" + directory.path), ffmpeg)
        let word = try FixtureWords.load()[0]
        let url = directory.appendingPathComponent("videos/w.mp4")
        let info = try VideoRender.mp4([word], to: url, options: RenderOptions(width: 32, height: 32), fps: 10, ffmpeg: ffmpeg)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(Int(lines[0]), word.frameCount * 32 * 32 * 4, "every frame, as raw RGBA")
        XCTAssertTrue(lines[1].contains("-s 32x32 -r 10.0 -i -"), String(lines[1]))
        XCTAssertTrue(lines[1].contains("-f mp4 "), "the temporary's name does not say the format: \(lines[1])")
        XCTAssertEqual(info.frames, word.frameCount)
        XCTAssertEqual(info.seconds, Double(word.frameCount) / 10, accuracy: 1e-9)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["w.mp4"], "the temporary file was renamed")
    }

    func testMissingOrFailingFFmpegIsAClearError() throws {
        let directory = try makeTemporaryDirectory(self)
        let word = try FixtureWords.load()[0]
        XCTAssertNil(VideoRender.ffmpeg(searchPath: "/nonexistent"))
        XCTAssertThrowsError(try VideoRender.mp4([word], to: directory.appendingPathComponent("a.mp4"), ffmpeg: nil)) { error in
            XCTAssertTrue("\(error)".contains("needs ffmpeg on the PATH"), "\(error)")
        }
        let failing = try fakeFFmpeg(in: directory, failing: true)
        XCTAssertThrowsError(try VideoRender.mp4([word], to: directory.appendingPathComponent("b.mp4"),
                                                 options: RenderOptions(width: 16, height: 16), ffmpeg: failing)) { error in
            XCTAssertTrue("\(error)".contains("Unknown encoder boom"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["ffmpeg"],
                       "neither the video nor its temporary is left")
    }

    /// ffmpeg's error log goes to the temporary directory; when it cannot be created the error says
    /// so and where, instead of blaming ffmpeg.
    func testAnUnwritableTemporaryDirectoryIsAClearError() throws {
        let directory = try makeTemporaryDirectory(self)
        let word = try FixtureWords.load()[0]
        let ffmpeg = try fakeFFmpeg(in: directory)
        let saved = ProcessInfo.processInfo.environment["TMPDIR"]
        setenv("TMPDIR", directory.appendingPathComponent("missing").path, 1)
        defer { if let saved { setenv("TMPDIR", saved, 1) } else { unsetenv("TMPDIR") } }
        XCTAssertThrowsError(try VideoRender.mp4([word], to: directory.appendingPathComponent("c.mp4"),
                                                 options: RenderOptions(width: 16, height: 16), ffmpeg: ffmpeg)) { error in
            XCTAssertTrue("\(error)".contains("cannot create ffmpeg's log file in \(directory.appendingPathComponent("missing").path)"), "\(error)")
        }
    }
}
