import PoseData
import XCTest
@testable import Render

final class SkeletonRendererTests: XCTestCase {
    /// Options for pixel tests: no caption, no margin, no fading, no joint dots.
    private func plainOptions(size: Int = 100) -> RenderOptions {
        RenderOptions(width: size, height: size, background: .black, drawJoints: false, fadeByConfidence: false,
                      margin: 0, caption: false)
    }

    func testBoneColoursPixelsOnItsSegmentOnly() throws {
        // Two joints 100 units apart; the camera maps them to opposite edges of the 100 px canvas.
        let sequence = try tinySequence([[(0, 50, 1), (100, 50, 1), (0, 0, 0)]])
        let renderer = SkeletonRenderer(options: plainOptions())
        let camera = renderer.camera(for: [sequence])
        let canvas = try renderer.render(frame: 0, of: sequence, camera: camera)
        let p = camera.project(x: 0, y: 50), q = camera.project(x: 100, y: 50)
        XCTAssertEqual(p.x, 0, accuracy: 1e-9)
        XCTAssertEqual(q.x, 100, accuracy: 1e-9)
        let row = Int(p.y)
        for x in stride(from: 5, to: 95, by: 5) {
            XCTAssertNotEqual(canvas.pixel(x: x, y: row), .black, "bone pixel at x=\(x)")
        }
        for y in [0, 10, row - 12, row + 12, 99] {
            XCTAssertEqual(canvas.pixel(x: 50, y: y), .black, "far pixel at y=\(y)")
        }
        // The body's colour family (cyan → blue on dark backgrounds).
        let bone = try XCTUnwrap(canvas.pixel(x: 50, y: row))
        XCTAssertGreaterThan(bone.b, bone.r)
    }

    func testMissingJointDrawsNothing() throws {
        let withMissing = try tinySequence([[(10, 10, 1), (90, 90, 0), (50, 50, 0)]])
        var options = plainOptions()
        options.drawJoints = true
        let renderer = SkeletonRenderer(options: options)
        let camera = Camera(scale: 1, offsetX: 0, offsetY: 0)
        let canvas = try renderer.render(frame: 0, of: withMissing, camera: camera)
        // Only joint 0's dot is drawn: nothing near the bone's middle or the missing joints.
        XCTAssertNotEqual(canvas.pixel(x: 10, y: 10), .black)
        XCTAssertEqual(canvas.pixel(x: 50, y: 50), .black)
        XCTAssertEqual(canvas.pixel(x: 90, y: 90), .black)
        XCTAssertEqual(canvas.pixel(x: 30, y: 30), .black)

        // Below the confidence threshold counts as missing too; NaN coordinates are skipped.
        let faint = try tinySequence([[(10, 10, 0.01), (90, 90, 1), (.nan, 50, 1)]])
        let faintCanvas = try renderer.render(frame: 0, of: faint, camera: camera)
        XCTAssertEqual(faintCanvas.pixel(x: 10, y: 10), .black)
        XCTAssertEqual(faintCanvas.pixel(x: 50, y: 50), .black)
        XCTAssertNotEqual(faintCanvas.pixel(x: 90, y: 90), .black)
    }

    func testConfidenceFadesBones() throws {
        var options = plainOptions()
        options.fadeByConfidence = true
        let renderer = SkeletonRenderer(options: options)
        let camera = Camera(scale: 1, offsetX: 0, offsetY: 0)
        let sure = try renderer.render(frame: 0, of: tinySequence([[(10, 50.5, 1), (90, 50.5, 1), (0, 0, 0)]]), camera: camera)
        let unsure = try renderer.render(frame: 0, of: tinySequence([[(10, 50.5, 0.3), (90, 50.5, 1), (0, 0, 0)]]), camera: camera)
        let strong = try XCTUnwrap(sure.pixel(x: 50, y: 50)), weak = try XCTUnwrap(unsure.pixel(x: 50, y: 50))
        XCTAssertGreaterThan(Int(strong.g) + Int(strong.b), Int(weak.g) + Int(weak.b))
        XCTAssertNotEqual(weak, .black)
    }

    func testOneCameraForTheWholeSequence() throws {
        // Frame 0 spans a large area, frame 1 only a small one; joint 0 stays at (0, 0).
        let sequence = try tinySequence([
            [(0, 0, 1), (400, 300, 1), (0, 0, 0)],
            [(0, 0, 1), (20, 10, 1), (0, 0, 0)],
        ])
        var options = plainOptions(size: 120)
        options.drawJoints = true
        let directory = try makeTemporaryDirectory(self)
        let files = try PNGRender.frames(of: sequence, to: directory, options: options, sheet: false)
        XCTAssertEqual(files.frames.map(\.lastPathComponent), ["frame_0000.png", "frame_0001.png"])
        let first = try PNG.read(from: files.frames[0]), second = try PNG.read(from: files.frames[1])
        let camera = SkeletonRenderer(options: options).camera(for: [sequence])
        let anchor = camera.project(x: 0, y: 0)
        let far = camera.project(x: 20, y: 10)
        // The static joint is at the same pixel in both frames, and frame 1 was not zoomed in.
        XCTAssertEqual(anchor.x, 0, accuracy: 1e-9)
        XCTAssertEqual(anchor.y, 15, accuracy: 1e-9)
        XCTAssertNotEqual(first.pixel(x: Int(anchor.x), y: Int(anchor.y)), .black)
        XCTAssertNotEqual(second.pixel(x: Int(anchor.x), y: Int(anchor.y)), .black)
        XCTAssertNotEqual(second.pixel(x: Int(far.x), y: Int(far.y)), .black)
        XCTAssertEqual(second.pixel(x: 110, y: 80), .black, "frame 1 is drawn with frame 0's camera, not zoomed")
        let fitted = Camera.fit(sequences: [sequence], viewport: Viewport(x: 0, y: 0, width: 120, height: 120), margin: 0)
        XCTAssertEqual(fitted, camera)
        XCTAssertEqual(fitted.scale, 0.3, accuracy: 1e-9, "400 units wide into 120 px")
    }

    func testCameraFitKeepsAspectAndMargin() throws {
        let sequence = try tinySequence([[(100, 200, 1), (300, 600, 1), (0, 0, 0)]])
        let camera = Camera.fit(sequences: [sequence], viewport: Viewport(x: 0, y: 0, width: 200, height: 200), margin: 0.1)
        XCTAssertEqual(camera.scale, 160.0 / 400, accuracy: 1e-9)
        let top = camera.project(x: 200, y: 200), bottom = camera.project(x: 200, y: 600)
        XCTAssertEqual(top.y, 20, accuracy: 1e-9)
        XCTAssertEqual(bottom.y, 180, accuracy: 1e-9)
        XCTAssertEqual(top.x, 100, accuracy: 1e-9, "centred horizontally")
        // The missing face joint at (0, 0) does not enter the fit.
        XCTAssertEqual(Camera.bounds(of: [sequence])?.minX, 100)
    }

    func testOddInputNeverCrashes() throws {
        let renderer = SkeletonRenderer(options: RenderOptions(width: 64, height: 64))
        // All joints missing: the background and the caption only.
        let empty = try tinySequence([[(0, 0, 0), (0, 0, 0), (0, 0, 0)]])
        let blank = try renderer.render(frame: 0, of: empty, camera: renderer.camera(for: [empty]))
        XCTAssertEqual(blank.pixel(x: 32, y: 20), RenderOptions().background)
        // A single point: centred.
        let single = try tinySequence([[(5, 7, 1), (0, 0, 0), (0, 0, 0)]])
        let camera = renderer.camera(for: [single])
        let centre = camera.project(x: 5, y: 7)
        XCTAssertEqual(centre.x, 32, accuracy: 1e-9)
        let dot = try renderer.render(frame: 0, of: single, camera: camera)
        XCTAssertNotEqual(dot.pixel(x: 32, y: Int(centre.y)), RenderOptions().background)
        // NaN and huge coordinates.
        let wild = try tinySequence([[(.nan, 1, 1), (1e30, -1e30, 1), (-3e38, 3e38, 1)], [(0, 0, 1), (1, 1, 1), (2, 2, 1)]])
        let wildCamera = renderer.camera(for: [wild])
        XCTAssertTrue(wildCamera.scale.isFinite && wildCamera.scale > 0)
        XCTAssertTrue(wildCamera.offsetX.isFinite && wildCamera.offsetY.isFinite)
        for frame in 0..<2 { _ = try renderer.render(frame: frame, of: wild, camera: wildCamera) }
        XCTAssertThrowsError(try renderer.render(frame: 2, of: wild, camera: wildCamera)) { error in
            XCTAssertTrue("\(error)".contains("out of range"), "\(error)")
        }
    }

    func testPartsOptionDrawsOnlyThoseParts() throws {
        let sequence = try FixtureWords.word("Mai")
        var options = RenderOptions(width: 128, height: 128, caption: false)
        options.parts = ["right_hand"]
        let renderer = SkeletonRenderer(options: options)
        let camera = renderer.camera(for: [sequence])
        let canvas = try renderer.render(frame: 20, of: sequence, camera: camera)
        // Right hand: red → yellow family; no body blues.
        var warm = 0, cool = 0
        for y in 0..<128 {
            for x in 0..<128 {
                let p = canvas.pixel(x: x, y: y)!
                if p == options.background { continue }
                if Int(p.r) > Int(p.b) + 60 { warm += 1 }
                if Int(p.b) > Int(p.r) + 60 { cool += 1 }
            }
        }
        XCTAssertGreaterThan(warm, 50)
        XCTAssertEqual(cool, 0)
    }

    func testFixtureWordRendersEveryPartItHas() throws {
        let sequence = try FixtureWords.word("Uhr")
        let renderer = SkeletonRenderer(options: RenderOptions(width: 256, height: 256))
        let camera = renderer.camera(for: [sequence])
        let canvas = try renderer.render(frame: sequence.frameCount / 2, of: sequence, camera: camera)
        var hueCounts = (body: 0, hand: 0, face: 0)
        for y in 0..<230 {
            for x in 0..<256 {
                let p = canvas.pixel(x: x, y: y)!
                if p == RenderOptions().background { continue }
                if Int(p.b) > Int(p.r) + 80 { hueCounts.body += 1 }
                if Int(p.r) > Int(p.b) + 80 { hueCounts.hand += 1 }
                if abs(Int(p.r) - Int(p.b)) < 12, abs(Int(p.g) - Int(p.r)) < 12, p.r > 90 { hueCounts.face += 1 }
            }
        }
        XCTAssertGreaterThan(hueCounts.body, 100, "body bones")
        XCTAssertGreaterThan(hueCounts.hand, 30, "right-hand bones")
        XCTAssertGreaterThan(hueCounts.face, 20, "face contours")
        // The left hand is missing at source (confidence 0): no pixels of its green family.
        let greens = (0..<(256 * 256)).filter { i in
            let p = canvas.pixel(x: i % 256, y: i / 256)!
            return Int(p.g) > Int(p.r) + 100 && Int(p.g) > Int(p.b) + 100
        }
        XCTAssertEqual(greens.count, 0)
    }

    func testSyntheticSignerIsDeterministic() throws {
        let a = try SyntheticSigner.sequence(frames: 5, seed: 3), b = try SyntheticSigner.sequence(frames: 5, seed: 3)
        let c = try SyntheticSigner.sequence(frames: 5, seed: 4)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.values, c.values)
        XCTAssertNil(a.firstNonFinite())
        XCTAssertEqual(a.frameCount, 5)
    }
}
