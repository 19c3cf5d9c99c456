import XCTest
@testable import Render

final class CanvasTests: XCTestCase {
    func testLineCoversItsSegmentAndLeavesFarPixelsAlone() throws {
        var canvas = try Canvas(width: 64, height: 64, background: .black)
        let red = Color(r: 255, g: 0, b: 0)
        // Along the centres of row 20; width 4 covers rows 19–21 fully and rows 18 and 22 half.
        canvas.strokeLine(from: Point(10, 20.5), to: Point(50, 20.5), width: 4, color: red)
        for x in 10..<50 { XCTAssertEqual(canvas.pixel(x: x, y: 20), red, "on the segment at x=\(x)") }
        XCTAssertEqual(canvas.pixel(x: 30, y: 19), red)
        XCTAssertEqual(canvas.pixel(x: 30, y: 21), red)
        XCTAssertEqual(canvas.pixel(x: 30, y: 30), .black)
        XCTAssertEqual(canvas.pixel(x: 30, y: 23), .black, "beyond the half width plus the anti-aliasing rim")
        XCTAssertEqual(canvas.pixel(x: 5, y: 20), .black, "beyond the round cap")
        // The rim is anti-aliased: partly red.
        let rim = try XCTUnwrap(canvas.pixel(x: 30, y: 22))
        XCTAssertGreaterThan(rim.r, 0)
        XCTAssertLessThan(rim.r, 255)
    }

    func testDiagonalLineAndRoundCap() throws {
        var canvas = try Canvas(width: 64, height: 64, background: .white)
        canvas.strokeLine(from: Point(8, 8), to: Point(56, 56), width: 3, color: .black)
        for k in stride(from: 8, to: 56, by: 4) { XCTAssertEqual(canvas.pixel(x: k, y: k), .black) }
        XCTAssertEqual(canvas.pixel(x: 56, y: 8), .white)
        // The cap extends the line by half its width around the end point.
        XCTAssertLessThan(try XCTUnwrap(canvas.pixel(x: 7, y: 7)).r, 128)
        XCTAssertEqual(canvas.pixel(x: 4, y: 4), .white)
    }

    func testDiscCoverageFallsWithDistance() throws {
        var canvas = try Canvas(width: 32, height: 32, background: .black)
        canvas.fillDisc(center: Point(16, 16), radius: 5, color: .white)
        XCTAssertEqual(canvas.pixel(x: 15, y: 15), .white)
        XCTAssertEqual(canvas.pixel(x: 16, y: 12), .white)
        XCTAssertEqual(canvas.pixel(x: 16, y: 8), .black)
        XCTAssertEqual(canvas.pixel(x: 22, y: 22), .black)
    }

    func testAlphaBlendingOverOpaqueAndTransparent() throws {
        var canvas = try Canvas(width: 2, height: 1, background: Color(r: 0, g: 0, b: 200))
        canvas.blend(x: 0, y: 0, color: Color(r: 200, g: 0, b: 0, a: 128))
        let mixed = try XCTUnwrap(canvas.pixel(x: 0, y: 0))
        XCTAssertEqual(Int(mixed.r), 100, accuracy: 2)
        XCTAssertEqual(Int(mixed.b), 100, accuracy: 2)
        XCTAssertEqual(mixed.a, 255)

        var clear = try Canvas(width: 1, height: 1, background: .clear)
        clear.blend(x: 0, y: 0, color: Color(r: 10, g: 20, b: 30, a: 100))
        let over = try XCTUnwrap(clear.pixel(x: 0, y: 0))
        XCTAssertEqual(over.a, 100)
        XCTAssertEqual(over.r, 10, "colour over transparent keeps its own colour")
        XCTAssertFalse(clear.isOpaque)
    }

    func testOddGeometryNeverCrashes() throws {
        var canvas = try Canvas(width: 16, height: 16, background: .black)
        let before = canvas
        canvas.strokeLine(from: Point(.nan, 3), to: Point(4, 4), width: 3, color: .white)
        canvas.strokeLine(from: Point(1, 1), to: Point(.infinity, 4), width: 3, color: .white)
        canvas.strokeLine(from: Point(1, 1), to: Point(3, 3), width: .nan, color: .white)
        canvas.fillDisc(center: Point(5, 5), radius: -2, color: .white)
        canvas.strokeLine(from: Point(-1e30, -1e30), to: Point(-1e29, -1e30), width: 3, color: .white)
        XCTAssertEqual(canvas, before, "nothing drawable was drawn")
        // A huge segment crossing the canvas is clipped and still drawn.
        canvas.strokeLine(from: Point(-1e12, 8), to: Point(1e12, 8), width: 2, color: .white)
        XCTAssertEqual(canvas.pixel(x: 8, y: 8), .white)
        XCTAssertThrowsError(try Canvas(width: 0, height: 10))
        XCTAssertThrowsError(try Canvas(width: 10, height: 1_000_000))
    }

    func testCompositingCanvasesClipsAtEdges() throws {
        var target = try Canvas(width: 8, height: 8, background: .black)
        let source = try Canvas(width: 4, height: 4, background: .white)
        target.draw(source, atX: 6, y: -2)
        XCTAssertEqual(target.pixel(x: 7, y: 0), .white)
        XCTAssertEqual(target.pixel(x: 7, y: 1), .white)
        XCTAssertEqual(target.pixel(x: 7, y: 2), .black)
        XCTAssertEqual(target.pixel(x: 5, y: 0), .black)
    }
}
