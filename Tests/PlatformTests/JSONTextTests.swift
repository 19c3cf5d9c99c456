import Foundation
import Platform
import XCTest

final class JSONTextTests: XCTestCase {
    func testQuotedStringsParseBackToThemselves() throws {
        for text in ["", "Baum", "say \"hi\"\\", "line\nbreak\r\ttab", "\u{1B}[31m\u{07}", "ü ß 手話 🤟"] {
            let quoted = JSONText.quoted(text)
            XCTAssertFalse(quoted.unicodeScalars.contains { $0.value < 0x20 }, "no raw control characters in \(quoted)")
            let parsed = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: [.fragmentsAllowed]) as? String
            XCTAssertEqual(parsed, text)
        }
        XCTAssertEqual(JSONText.quoted("\u{1}"), "\"\\u0001\"")
    }
}
