import XCTest
@testable import Platform

/// A display that keeps what it was given: status lines as written to standard error, final lines.
private final class RecordingDisplay: ProgressDisplay {
    private let line: StatusLine
    var statusText = ""
    var statusLines: [String] = []
    var printed: [String] = []

    init(isTerminal: Bool) {
        var write: (String) -> Void = { _ in }
        line = StatusLine(isTerminal: isTerminal) { write($0) }
        write = { [unowned self] text in statusText += text; statusLines.append(text) }
    }

    var isTerminal: Bool { line.isTerminal }
    func status(_ text: String) { line.show(text) }
    func clearStatus() { line.clear() }
    func print(_ text: String) {
        line.clear()
        printed.append(text)
    }
}

final class ProgressReporterTests: XCTestCase {
    func testPlainOutputThrottlesAndFinishPrintsTheFinalLine() {
        var now = 0.0
        let display = RecordingDisplay(isTerminal: false)
        let progress = ProgressReporter(title: "train", total: 100, output: display, plainInterval: 5, clock: { now })
        now = 1
        progress.update(10, "loss 0.5")  // shown at once: never a silent wait
        now = 2
        progress.update(20, "loss 0.4")  // within 5 s of the last line: skipped
        now = 7
        progress.update(70, "loss 0.1")
        now = 10
        progress.finish("loss 0.05")
        XCTAssertEqual(display.statusLines, ["train  10/100  10%  loss 0.5  10/s  0:09 left\n",
                                             "train  70/100  70%  loss 0.1  10/s  0:03 left\n"])
        XCTAssertEqual(display.printed, ["train  70/100  70%  loss 0.05  7/s  in 0:10"])
    }

    func testPlainOutputStaysQuietForQuickWork() {
        var now = 10.0
        let display = RecordingDisplay(isTerminal: false)
        let progress = ProgressReporter(title: "render", total: 40, output: display, clock: { now })
        now = 10.5
        progress.update(20)
        XCTAssertEqual(display.statusLines, [], "no line in a log for work under a second")
        now = 11.2
        progress.update(30)
        XCTAssertEqual(display.statusLines, ["render  30/40  75%  25/s  0:00 left\n"])
    }

    func testTerminalOutputRewritesTheLineAndDismissErasesIt() {
        var now = 0.0
        let display = RecordingDisplay(isTerminal: true)
        let progress = ProgressReporter(title: "sample", total: nil, output: display, clock: { now })
        now = 0.5
        progress.update(3)
        now = 0.55
        progress.update(4)
        XCTAssertEqual(display.statusText, "\r\u{1B}[Ksample  3  6/s")
        progress.dismiss()
        XCTAssertTrue(display.statusText.hasSuffix("\r\u{1B}[K"), "the status is erased")
        XCTAssertEqual(display.printed, [], "no final line")
    }

    /// On a terminal a status is cut to the width (a wrapped one would leave rows behind when
    /// rewritten); a plain stream keeps it whole, and an unknown width cuts nothing.
    func testStatusLinesAreCutToTheTerminalWidth() {
        var written = ""
        let narrow = StatusLine(isTerminal: true, columns: { 10 }) { written += $0 }
        narrow.show("train  12/500  loss 0.5")
        XCTAssertEqual(written, "\r\u{1B}[Ktrain  1…")
        written = ""
        narrow.show("short")
        XCTAssertEqual(written, "\r\u{1B}[Kshort")
        written = ""
        StatusLine(isTerminal: false, columns: { 10 }) { written += $0 }.show("train  12/500  loss 0.5")
        XCTAssertEqual(written, "train  12/500  loss 0.5\n")
        XCTAssertEqual(TerminalWidth.fit("abcdef", columns: nil), "abcdef")
        XCTAssertEqual(TerminalWidth.fit("abcdef", columns: 6), "abcd…")
        XCTAssertEqual(TerminalWidth.fit("abcde", columns: 6), "abcde")
    }

    func testDurationsAndNumbers() {
        XCTAssertEqual(NumberText.duration(7), "0:07")
        XCTAssertEqual(NumberText.duration(754), "12:34")
        XCTAssertEqual(NumberText.duration(3723), "1:02:03")
        XCTAssertEqual(NumberText.format(3), "3")
        XCTAssertEqual(NumberText.format(0.012345678, significantDigits: 3), "0.0123")
        XCTAssertEqual(NumberText.format(.nan), "nan")
        XCTAssertEqual(NumberText.format(-.infinity), "-inf")
    }
}
