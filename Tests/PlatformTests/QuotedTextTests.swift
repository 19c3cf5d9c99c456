import XCTest
@testable import Platform

final class QuotedTextTests: XCTestCase {
    func testControlCharactersBecomeVisibleEscapes() {
        XCTAssertEqual(QuotedText.safe("a\u{1B}[2Jb\u{07}c\td\n"), "a\\e[2Jb\\x07c\\td\\n")
        XCTAssertEqual(QuotedText.safe("x\u{9B}y\u{202E}z"), "x\\u{009B}y\\u{202E}z")
        XCTAssertEqual(QuotedText.safe("Größe 🤟"), "Größe 🤟", "printable text passes unchanged")
    }

    func testLongTextIsCutWithItsLength() {
        let long = String(repeating: "a", count: 40_000)
        let safe = QuotedText.safe(long, limit: 10)
        XCTAssertEqual(safe, "aaaaaaaaaa… (40000 characters)")
        XCTAssertEqual(QuotedText.quoted("ab", limit: 10), "'ab'")
        XCTAssertEqual(QuotedText.safe("abc", limit: 3), "abc", "text at the limit is not cut")
    }
}
