import XCTest
@testable import Render

final class LinePlotTests: XCTestCase {
    /// Pixels within a small distance of `color` (line cores and well-covered anti-aliased pixels).
    private func count(_ color: Color, in canvas: Canvas) -> Int {
        var n = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where near(canvas.pixel(x: x, y: y)!, color) { n += 1 }
        }
        return n
    }

    private func near(_ p: Color, _ q: Color) -> Bool {
        abs(Int(p.r) - Int(q.r)) + abs(Int(p.g) - Int(q.g)) + abs(Int(p.b) - Int(q.b)) < 60
    }

    func testPlotDrawsEverySeriesInItsColour() throws {
        let red = Color(hex: 0xE00000), blue = Color(hex: 0x0000E0)
        let plot = LinePlot(series: [
            .init(name: "train", values: (0..<100).map { 2 * exp(-Double($0) / 30) + 0.1 }, color: red),
            .init(name: "dev", x: [0, 25, 50, 75, 99], y: [2.2, 1.0, 0.6, 0.5, 0.45], color: blue),
        ], title: "loss", xLabel: "step", yLabel: "MSE", width: 480, height: 300)
        let canvas = try plot.render()
        XCTAssertEqual(canvas.width, 480)
        XCTAssertGreaterThan(count(red, in: canvas), 400, "the train curve")
        XCTAssertGreaterThan(count(blue, in: canvas), 150, "the dev curve and its dots")
    }

    func testHorizontalSeriesSitsInsideThePlotArea() throws {
        let green = Color(hex: 0x00C000)
        let plot = LinePlot(series: [.init(name: "", x: [0, 10], y: [5, 5], color: green)], width: 300, height: 200)
        let canvas = try plot.render()
        // A constant series is centred vertically (the range is padded around it).
        let rows = (0..<canvas.height).filter { y in (0..<canvas.width).contains { near(canvas.pixel(x: $0, y: y)!, green) } }
        XCTAssertFalse(rows.isEmpty)
        let middle = Double(rows.first! + rows.last!) / 2
        XCTAssertEqual(middle, Double(canvas.height) / 2, accuracy: Double(canvas.height) / 6)
    }

    func testLogScaleSkipsNonPositiveValues() throws {
        let color = Color(hex: 0x9000A0)
        let plot = LinePlot(series: [.init(name: "", values: [10, 1, 0, -1, 0.1, 0.01, .nan, 0.001], color: color)],
                            logY: true, width: 320, height: 240)
        let canvas = try plot.render()
        XCTAssertGreaterThan(count(color, in: canvas), 50)
        // The unusable points (0, −1, NaN at x = 2, 3, 6) break the line: pieces 0–1, 4–5 and a dot at 7.
        let columns = (0..<canvas.width).filter { x in (0..<canvas.height).contains { near(canvas.pixel(x: x, y: $0)!, color) } }
        let gaps = zip(columns.dropLast(), columns.dropFirst()).filter { $1 - $0 > 10 }
        XCTAssertEqual(gaps.count, 2, "\(columns)")
        // 10 → 0.001 spans the log axis: the curve reaches from near the top to near the bottom.
        let rows = (0..<canvas.height).filter { y in (0..<canvas.width).contains { near(canvas.pixel(x: $0, y: y)!, color) } }
        XCTAssertLessThan(try XCTUnwrap(rows.first), canvas.height / 4)
        XCTAssertGreaterThan(try XCTUnwrap(rows.last), canvas.height * 3 / 4)
    }

    func testBadOrEmptyInput() throws {
        XCTAssertThrowsError(try LinePlot(series: [.init(name: "x", x: [1, 2], y: [1])]).render()) { error in
            XCTAssertTrue("\(error)".contains("'x'"), "\(error)")
        }
        XCTAssertThrowsError(try LinePlot(series: [], width: 50, height: 50).render())
        // No data at all still draws axes (and says so) rather than failing.
        _ = try LinePlot(series: []).render()
        _ = try LinePlot(series: [.init(name: "nan", values: [.nan, .infinity])]).render()
        _ = try LinePlot(series: [.init(name: "one", values: [3])]).render()
        _ = try LinePlot(series: [.init(name: "neg", values: [-1, -2])], logY: true).render()
    }

    func testNiceTicksAreRoundNumbers() {
        let ticks = NiceTicks.linear(low: 0.013, high: 0.87, count: 6)
        XCTAssertEqual(ticks.step, 0.2, accuracy: 1e-12)
        XCTAssertEqual(ticks.values.count, 4)
        XCTAssertEqual(ticks.values[0], 0.2, accuracy: 1e-12)
        XCTAssertEqual(ticks.values.map { NiceTicks.label($0, step: ticks.step) }, ["0.2", "0.4", "0.6", "0.8"])
        XCTAssertEqual(NiceTicks.linear(low: 0, high: 2000, count: 5).values, [0, 500, 1000, 1500, 2000])
        XCTAssertEqual(NiceTicks.logarithmic(low: 0.0009, high: 11), [0.001, 0.01, 0.1, 1, 10])
        XCTAssertEqual(NiceTicks.logarithmic(low: 0.15, high: 3), [0.2, 0.5, 1, 2])
        XCTAssertEqual(NiceTicks.label(1e-5, step: 1e-5), "1e-5")
        XCTAssertEqual(NiceTicks.label(2_500_000, step: 500_000), "2.5e6")
        XCTAssertEqual(NiceTicks.label(-0.0, step: 1), "0")
        XCTAssertEqual(NiceTicks.label(1500, step: 500), "1500")
    }
}
