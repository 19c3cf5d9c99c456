import XCTest
@testable import Notebook

final class NotebookOutputTests: XCTestCase {
    func testPrintingClearsTheStatusLineAndRecordsOnlyPrintedLines() {
        var errors = ""
        var standard = ""
        let output = NotebookOutput(isTerminal: true, standardOutput: { standard += $0 }, standardError: { errors += $0 })
        output.status("sample  3")
        output.print("x")
        XCTAssertEqual(errors, "\r\u{1B}[Ksample  3\r\u{1B}[K", "printing clears the status line first")
        XCTAssertEqual(standard, "x\n")
        XCTAssertEqual(output.takeRecord(), "x\n", "status lines are not recorded")
    }
}
