import XCTest
@testable import Notebook

final class ParserTests: XCTestCase {
    private let vocabulary = Vocabulary(verbs: ["show", "sample", "render", "range", "print", "len"],
                                        connectors: ["to", "on", "vs"])

    private func parse(_ text: String) throws -> [Statement] {
        try Parser.parse(SourceText(name: "t.hsl", text: text), vocabulary: vocabulary)
    }

    private func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> NotebookError? {
        do {
            _ = try parse(text)
            XCTFail("expected a parse error for: \(text)", file: file, line: line)
            return nil
        } catch {
            return error as? NotebookError
        }
    }

    private func call(_ text: String) throws -> VerbCall {
        let statements = try parse(text)
        guard case .command(let expression) = statements.first?.kind, case .call(let call) = expression.kind else {
            throw NotebookError("not a call: \(text)")
        }
        return call
    }

    func testVerbCallWithPositionalConnectorAndNamedArguments() throws {
        let render = try call(#"render s vs dev[3] to "out/" + w fps: 12"#)
        XCTAssertEqual(render.name, "render")
        XCTAssertEqual(render.arguments.map(\.label), [.positional, .connector("vs"), .connector("to"), .named("fps")])
        guard case .index = render.arguments[1].value.kind else { return XCTFail("dev[3] should be an index") }
        guard case .binary(.add, _, _) = render.arguments[2].value.kind else { return XCTFail("\"out/\" + w should be one argument") }
        XCTAssertEqual(render.arguments[3].labelRange?.start.column, 34)
    }

    func testIndexNeedsNoSpaceAndAListArgumentNeedsOne() throws {
        let show = try call("show xs [1, 2]")
        XCTAssertEqual(show.arguments.count, 2)
        let indexed = try call("show xs[1]")
        XCTAssertEqual(indexed.arguments.count, 1)
    }

    func testNegativeNumberStartsANewArgument() throws {
        XCTAssertEqual(try call("range -5 5").arguments.count, 2)
        XCTAssertEqual(try call("range 10 - 5").arguments.count, 1)
        XCTAssertEqual(try call("range 10-5").arguments.count, 1)
    }

    func testPrecedenceAndMemberAccess() throws {
        let statements = try parse("let x = 1 + 2 * d.count")
        guard case .assignment("x", _, let value) = statements[0].kind,
              case .binary(.add, _, let right) = value.kind,
              case .binary(.multiply, _, let member) = right.kind,
              case .member(_, "count", _) = member.kind else {
            return XCTFail("wrong tree: \(statements)")
        }
    }

    func testNestedCommandsInParentheses() throws {
        let render = try call(#"render (sample m w steps: 1) to "out""#)
        guard case .call(let inner) = render.arguments[0].value.kind else { return XCTFail("expected a nested call") }
        XCTAssertEqual(inner.name, "sample")
        XCTAssertEqual(inner.arguments.map(\.label), [.positional, .positional, .named("steps")])
    }

    func testForLoopWithBlockOverSeveralLines() throws {
        let statements = try parse("for w in [\"a\", \"b\"] {\n  print w\n  let n = len w\n}\nprint 1")
        XCTAssertEqual(statements.count, 2)
        guard case .loop("w", _, _, let body) = statements[0].kind else { return XCTFail("expected a loop") }
        XCTAssertEqual(body.count, 2)
        XCTAssertEqual(statements[0].range.end.line, 4)
    }

    func testSemicolonsSeparateStatements() throws {
        XCTAssertEqual(try parse("let a = 1; let b = 2;; a + b").count, 3)
    }

    func testUnknownVerbSuggestsTheClosest() throws {
        let error = try XCTUnwrap(parseError("let s = sampel m \"Baum\""))
        XCTAssertEqual(error.message, "unknown verb 'sampel' — did you mean 'sample'?")
        XCTAssertEqual(error.range?.start.column, 9)
        XCTAssertEqual(error.range?.end.column, 15)
        XCTAssertEqual(error.formatted(), """
            t.hsl:1:9: unknown verb 'sampel' — did you mean 'sample'?
                let s = sampel m "Baum"
                        ^^^^^^
            """)
    }

    func testVerbInsideAnExpressionNeedsParentheses() throws {
        let error = try XCTUnwrap(parseError("show range 3"))
        XCTAssertEqual(error.message, "the verb 'range' needs parentheses inside an expression")
        XCTAssertEqual(error.hint, "write (range …) to use its result as a value")
        XCTAssertEqual(error.range?.start.column, 6)
    }

    func testReservedAndVerbNamesCannotBeVariables() throws {
        XCTAssertEqual(parseError("let to = 3")?.message, "'to' is a reserved word and cannot name a variable")
        XCTAssertEqual(parseError("let show = 3")?.message, "'show' is a verb, so it cannot name a variable: `show …` at the start of a line calls the verb")
        // The clash the first hour met: the suggestion is a name that works.
        let withTrain = Vocabulary(verbs: ["train", "load"], connectors: ["on"])
        XCTAssertThrowsError(try Parser.parse(SourceText(name: "t", text: "let train = load \"data/words/dev.pkl\""), vocabulary: withTrain)) {
            XCTAssertEqual(($0 as? NotebookError)?.hint, "name it after what it holds, for example: let train_set …")
        }
        XCTAssertEqual(parseError("for sample in d { }")?.hint, "name it after what it holds, for example: for my_sample …")
        XCTAssertEqual(parseError("let _3 = 3")?.message, "names starting with '_' are kept for results (_, _1, _2, …)")
    }

    func testSlicesWithEitherBoundLeftOut() throws {
        for (text, bounds) in [("d[0:3]", (true, true)), ("d[:3]", (false, true)), ("d[2:]", (true, false)), ("d[:]", (false, false))] {
            guard case .command(let expression) = try parse(text).first?.kind,
                  case .slice(_, let start, let end) = expression.kind else { return XCTFail("not a slice: \(text)") }
            XCTAssertEqual(start != nil, bounds.0, text)
            XCTAssertEqual(end != nil, bounds.1, text)
        }
        XCTAssertEqual(parseError("d[0:3")?.kind, .incomplete)
        XCTAssertEqual(parseError("d[0:3:1]")?.message, "expected ']' to close the slice, found ':'")
    }

    func testMissingPiecesSayWhatWasExpected() throws {
        XCTAssertEqual(parseError("let x 3")?.message, "expected '=' after 'let x', found number 3")
        XCTAssertEqual(parseError("for w of xs { }")?.message, "expected 'in' after 'for w', found 'of'")
        let brace = try XCTUnwrap(parseError("for w in xs\n{ }"))
        XCTAssertEqual(brace.message, "expected '{' to start the loop's body, found the end of the line")
        XCTAssertEqual(brace.range?.start, SourcePosition(line: 1, column: 12, offset: 11))
        XCTAssertEqual(parseError("show [1 2]")?.message, "expected ',' or ']' in the list, found number 2")
        XCTAssertEqual(parseError("1 + ")?.message, "expected a value, found the end of the input")
        XCTAssertEqual(parseError("show 1 steps:")?.message, "expected a value after 'steps:'")
        XCTAssertEqual(parseError("x )")?.message, "unexpected ')' after the statement")
    }

    func testErrorsOnLaterLinesReportTheirLine() throws {
        let error = try XCTUnwrap(parseError("let a = 1\nlet b = 2\nshow a +* b"))
        XCTAssertEqual(error.range?.start.line, 3)
        XCTAssertEqual(error.range?.start.column, 9)
        XCTAssertEqual(error.message, "expected a value, found '*'")
    }

    func testOpenBlocksAndBracketsAreIncomplete() throws {
        for text in ["for w in xs {", "for w in xs {\n print w", "let x = [1,", "show (range 3", "print xs[0"] {
            XCTAssertEqual(parseError(text)?.kind, .incomplete, text)
        }
        XCTAssertEqual(parseError("let x = [1, 2)")?.kind, .syntax)
        let error = try XCTUnwrap(parseError("for w in xs {\n print w"))
        XCTAssertEqual(error.hint, "add '}'")
        XCTAssertEqual(error.range?.start.column, 13)
    }

    func testLiteralExpressionForSettings() throws {
        let expression = try Parser.parseExpression(SourceText(name: "s", text: "[1, \"a\", true]"), vocabulary: vocabulary)
        guard case .list(let elements) = expression.kind else { return XCTFail("expected a list") }
        XCTAssertEqual(elements.count, 3)
    }
}

final class ParserLimitTests: XCTestCase {
    private let vocabulary = Vocabulary(verbs: ["show"], connectors: ["to"])

    private func message(_ text: String) -> String? {
        do {
            _ = try Parser.parse(SourceText(name: "t", text: text), vocabulary: vocabulary)
            return nil
        } catch {
            return error.message
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        XCTAssertEqual(message(deep), "expressions are nested more than 200 deep")
        let lists = String(repeating: "[", count: 100_000)
        XCTAssertEqual(message(lists), "expressions are nested more than 200 deep")
        XCTAssertNil(message(String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)))
    }

    func testLongOperatorChainsAreAnErrorNotACrash() {
        let long = Array(repeating: "1", count: 100_000).joined(separator: " + ")
        XCTAssertEqual(message(long), "the statement has more than 1000 operators")
        XCTAssertEqual(message(String(repeating: "-", count: 100_000) + "1"), "the statement has more than 1000 operators")
        XCTAssertNil(message(Array(repeating: "1", count: 900).joined(separator: " + ") + "\n" +
                             Array(repeating: "1", count: 900).joined(separator: " + ")), "the count is per statement")
    }
}
