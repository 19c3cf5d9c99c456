import XCTest
@testable import Notebook

final class SuggestionsTests: XCTestCase {
    func testEditDistance() {
        XCTAssertEqual(Suggestions.editDistance("sampel", "sample"), 1, "a swap of neighbours costs 1")
        XCTAssertEqual(Suggestions.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestions.editDistance("", "abc"), 3)
        XCTAssertEqual(Suggestions.editDistance("Show", "show"), 0)
    }

    func testClosest() {
        XCTAssertEqual(Suggestions.closest(to: "rnage", among: ["range", "render", "read_lines"]), ["range"])
        XCTAssertEqual(Suggestions.closest(to: "xyz", among: ["range", "render"]), [])
        XCTAssertEqual(Suggestions.closest(to: "read", among: ["read_lines", "render"]), ["read_lines"], "a prefix counts")
        XCTAssertEqual(Suggestions.didYouMean("stpes", among: ["steps", "seed"]), " — did you mean 'steps'?")
    }

    func testExcerptKeepsTabsAligned() {
        let source = SourceText(name: "t", text: "a\n\tshow  x")
        let range = SourceRange(SourcePosition(line: 2, column: 8, offset: 9), SourcePosition(line: 2, column: 9, offset: 10))
        XCTAssertEqual(source.excerpt(for: range), "\tshow  x\n\t      ^")
    }
}
