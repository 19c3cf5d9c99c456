import XCTest
@testable import Notebook

final class ProgressReporterTests: XCTestCase {
    func testPlainOutputThrottlesAndFinishIsRecorded() {
        var now = 0.0
        var errors: [String] = []
        var standard: [String] = []
        let output = NotebookOutput(isTerminal: false, standardOutput: { standard.append($0) }, standardError: { errors.append($0) })
        let progress = ProgressReporter(title: "train", total: 100, output: output, plainInterval: 5, clock: { now })
        now = 1
        progress.update(10, "loss 0.5")  // shown at once: never a silent wait
        now = 2
        progress.update(20, "loss 0.4")  // within 5 s of the last line: skipped
        now = 7
        progress.update(70, "loss 0.1")
        now = 10
        progress.finish("loss 0.05")
        XCTAssertEqual(errors, ["train  10/100  10%  loss 0.5  10/s  0:09 left\n",
                                "train  70/100  70%  loss 0.1  10/s  0:03 left\n"])
        XCTAssertEqual(standard, ["train  70/100  70%  loss 0.05  7/s  in 0:10\n"])
        XCTAssertEqual(output.takeRecord(), "train  70/100  70%  loss 0.05  7/s  in 0:10\n")
    }

    func testPlainOutputStaysQuietForQuickWork() {
        var now = 10.0
        var errors: [String] = []
        let output = NotebookOutput(isTerminal: false, standardOutput: { _ in }, standardError: { errors.append($0) })
        let progress = ProgressReporter(title: "render", total: 40, output: output, clock: { now })
        now = 10.5
        progress.update(20)
        XCTAssertEqual(errors, [], "no line in a log for work under a second")
        now = 11.2
        progress.update(30)
        XCTAssertEqual(errors, ["render  30/40  75%  25/s  0:00 left\n"])
    }

    func testTerminalOutputRewritesTheLine() {
        var now = 0.0
        var errors = ""
        let output = NotebookOutput(isTerminal: true, standardOutput: { _ in }, standardError: { errors += $0 })
        let progress = ProgressReporter(title: "sample", total: nil, output: output, clock: { now })
        now = 0.5
        progress.update(3)
        now = 0.55
        progress.update(4)
        XCTAssertEqual(errors, "\r\u{1B}[Ksample  3  6/s")
        output.print("x")
        XCTAssertTrue(errors.hasSuffix("\r\u{1B}[K"), "printing clears the status line first")
    }

    func testDurations() {
        XCTAssertEqual(ProgressReporter.duration(7), "0:07")
        XCTAssertEqual(ProgressReporter.duration(754), "12:34")
        XCTAssertEqual(ProgressReporter.duration(3723), "1:02:03")
    }
}
