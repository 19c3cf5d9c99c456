import XCTest
@testable import Render

final class BitmapFontTests: XCTestCase {
    private let font = BitmapFont.standard

    /// The ink pattern of a text drawn at scale 1, as rows of `#` and `.`, cap top = row 0.
    private func pattern(_ text: String, rows: ClosedRange<Int>) throws -> [String] {
        var canvas = try Canvas(width: text.count * 6 + 2, height: 16, background: .black)
        canvas.drawText(text, x: 0, y: 0, color: .white)
        return rows.map { row in
            String((0..<(text.count * 6 - 1)).map { x in canvas.pixel(x: x, y: row + font.ascent) == .white ? "#" : "." })
        }
    }

    func testKnownStringHasTheExpectedGlyphPixels() throws {
        XCTAssertEqual(try pattern("HI", rows: 0...6), [
            "#...#..###.",
            "#...#...#..",
            "#...#...#..",
            "#####...#..",
            "#...#...#..",
            "#...#...#..",
            "#...#..###.",
        ])
    }

    func testUmlautsHaveDotsOverTheirLetter() throws {
        // Ä: two dots two rows above the A; ö: dots in rows 0–1 over the o.
        XCTAssertEqual(try pattern("Ä", rows: -2...1), [".#.#.", ".....", ".###.", "#...#"])
        XCTAssertEqual(try pattern("ö", rows: 0...3), [".#.#.", ".....", ".###.", "#...#"])
        XCTAssertEqual(try pattern("ç", rows: 6...8), [".###.", "..#..", ".##.."])
        XCTAssertEqual(font.glyph(for: "ß").rows.count, 7)
    }

    func testEuropeanLettersAreDrawableAndUnknownOnesAreBoxes() throws {
        for character in "äöüßÄÖÜéèàçñÉÈÀÇÑâêîôûëïÿåøæœÅØÆŒáíóúýãõčšžřěőűłÁÍÓÚÝ€„“”–…«»¿¡" where character != "ł" {
            XCTAssertTrue(font.canDraw(character), "\(character)")
        }
        XCTAssertFalse(font.canDraw("漢"))
        let box = try pattern("漢", rows: 0...6)
        XCTAssertEqual(box.first, "#####")
        XCTAssertEqual(box[3], "#...#")
        // A decomposed é (e + combining acute) is the same character as the precomposed one.
        XCTAssertTrue(font.canDraw("e\u{301}"))
        XCTAssertEqual(font.glyph(for: "e\u{301}"), font.glyph(for: "é"))
    }

    func testScaleMultipliesPixelsAndSizeMeasures() throws {
        var canvas = try Canvas(width: 30, height: 30, background: .black)
        canvas.drawText("I", x: 0, y: 0, scale: 3, color: .white)
        // The I's top bar spans columns 1–3 of the glyph: pixels 3..<12 at scale 3, rows 6..<9.
        for x in 3..<12 { XCTAssertEqual(canvas.pixel(x: x, y: 6), .white) }
        XCTAssertEqual(canvas.pixel(x: 2, y: 6), .black)
        XCTAssertEqual(canvas.pixel(x: 7, y: 5), .black)
        XCTAssertEqual(font.size(of: "Hallo", scale: 2).width, (5 * 6 - 1) * 2)
        XCTAssertEqual(font.size(of: "a\nbc", scale: 1).height, 24)
        XCTAssertEqual(font.truncated("Flughafen", toWidth: 6 * 6 - 1), "Flu...")
        XCTAssertEqual(font.truncated("Zeit", toWidth: 100), "Zeit")
    }

    func testNewlinesStartNewLines() throws {
        var canvas = try Canvas(width: 20, height: 30, background: .black)
        canvas.drawText("-\n-", x: 0, y: 0, color: .white)
        XCTAssertEqual(canvas.pixel(x: 0, y: font.ascent + 3), .white)
        XCTAssertEqual(canvas.pixel(x: 0, y: font.lineHeight + font.ascent + 3), .white)
        XCTAssertEqual(canvas.pixel(x: 6, y: font.ascent + 3), .black)
    }
}
