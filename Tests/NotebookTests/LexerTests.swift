import XCTest
@testable import Notebook

final class LexerTests: XCTestCase {
    private func kinds(_ text: String) throws -> [Token.Kind] {
        try Lexer.tokenize(SourceText(name: "t", text: text)).map(\.kind)
    }

    private func lexError(_ text: String) -> NotebookError? {
        do {
            _ = try Lexer.tokenize(SourceText(name: "t", text: text))
            XCTFail("expected a lexer error for \(text)")
            return nil
        } catch {
            return error
        }
    }

    func testNumbersStringsWordsAndSymbols() throws {
        XCTAssertEqual(try kinds(#"let x = 3e-4 + 1_000 * 2.5 "a\"b\n" d.count"#), [
            .word("let"), .word("x"), .equals, .number(3e-4), .plus, .number(1000), .star, .number(2.5),
            .string("a\"b\n"), .word("d"), .dot, .word("count"), .end,
        ])
    }

    func testCommentsAndNewlines() throws {
        XCTAssertEqual(try kinds("a # comment\nb"), [.word("a"), .newline, .word("b"), .end])
    }

    func testNewlinesInsideBracketsAndParenthesesAreSkipped() throws {
        XCTAssertEqual(try kinds("[1,\n 2]\n(x\n)"), [
            .leftBracket, .number(1), .comma, .number(2), .rightBracket, .newline,
            .leftParen, .word("x"), .rightParen, .end,
        ])
    }

    func testPositionsAndSpacing() throws {
        let tokens = try Lexer.tokenize(SourceText(name: "t", text: "xs[0]\n  xs [0]"))
        XCTAssertEqual(tokens[1].kind, .leftBracket)
        XCTAssertFalse(tokens[1].spaceBefore)
        let second = tokens.filter { $0.kind == .leftBracket }[1]
        XCTAssertTrue(second.spaceBefore)
        XCTAssertEqual(tokens[5].range.start, SourcePosition(line: 2, column: 3, offset: 8))
    }

    func testUnicodeWordsAndStrings() throws {
        XCTAssertEqual(try kinds(#"bäume = "Grüße""#), [.word("bäume"), .equals, .string("Grüße"), .end])
    }

    func testUnterminatedStringPointsAtTheQuote() throws {
        let error = try XCTUnwrap(lexError("show \"Baum"))
        XCTAssertEqual(error.kind, .syntax)
        XCTAssertEqual(error.message, "unterminated string")
        XCTAssertEqual(error.range?.start.column, 6)
        XCTAssertEqual(error.hint, "close the string with \" on the same line")
    }

    func testUnexpectedCharacterHasAHint() throws {
        let error = try XCTUnwrap(lexError("show 'Baum'"))
        XCTAssertEqual(error.message, "unexpected character '''")
        XCTAssertEqual(error.range?.start.column, 6)
        XCTAssertTrue(error.hint?.contains("double quotes") == true)
    }

    func testMalformedNumberAndUnknownEscape() throws {
        XCTAssertEqual(lexError("let x = 3abc")?.message, "malformed number '3abc'")
        let escape = try XCTUnwrap(lexError(#"print "a\qb""#))
        XCTAssertEqual(escape.message, "unknown escape '\\q' in a string")
        XCTAssertEqual(escape.range?.start.column, 9)
    }

    func testFirstLineOffsetsLineNumbers() throws {
        let tokens = try Lexer.tokenize(SourceText(name: "t", text: "a\nb", firstLine: 10))
        XCTAssertEqual(tokens[0].range.start.line, 10)
        XCTAssertEqual(tokens[2].range.start.line, 11)
    }
}
