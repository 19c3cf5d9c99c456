import Foundation

/// A progress line for long work: `train  1200/2000  60%  loss 0.0123  34.5/s  1:02 left`.
///
/// On a terminal the line rewrites itself at most ten times a second; otherwise (scripts, pipes,
/// logs) a plain line is written every `plainInterval` seconds, the first once the work has run
/// for `plainDelay` seconds, so quick work (a short render in a batch loop) leaves no lines.
/// ``finish(_:)`` prints the final line (the notebook records it in the cell's output); ``dismiss()``
/// only removes the status. There is never a silent wait at a terminal: the first update is shown
/// at once.
public final class ProgressReporter {
    private let title: String
    private let total: Int?
    private let output: any ProgressDisplay
    private let clock: () -> Double
    private let start: Double
    private var lastShown: Double = -.infinity
    private let minimumInterval: Double
    private let firstLineDelay: Double
    private var completed = 0
    private var detail = ""

    /// Creates a reporter. `clock` returns seconds (monotonic); tests pass their own.
    /// `startedAt` is when the work began (on `clock`), when that was before the reporter was made.
    public init(title: String, total: Int?, output: any ProgressDisplay, plainInterval: Double = 5, plainDelay: Double = 1,
                startedAt: Double? = nil, clock: @escaping () -> Double = ProgressReporter.monotonicSeconds) {
        self.title = title
        self.total = total
        self.output = output
        self.clock = clock
        self.start = startedAt ?? clock()
        self.minimumInterval = output.isTerminal ? 0.1 : plainInterval
        self.firstLineDelay = output.isTerminal ? 0 : plainDelay
    }

    /// Seconds from a monotonic clock.
    public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Reports `completed` units done, with an optional detail such as `loss 0.0123`.
    public func update(_ completed: Int, _ detail: String = "") {
        self.completed = completed
        self.detail = detail
        let now = clock()
        guard now - lastShown >= minimumInterval, now - start >= firstLineDelay else { return }
        lastShown = now
        output.status(line(at: now))
    }

    /// Prints the final line (recorded in the cell's output).
    public func finish(_ detail: String? = nil) {
        if let detail { self.detail = detail }
        output.clearStatus()
        output.print(line(at: clock(), final: true))
    }

    /// Removes the status line without a final line (for work whose result speaks for itself).
    public func dismiss() {
        output.clearStatus()
    }

    /// The progress line as it would be shown at time `now`.
    func line(at now: Double, final: Bool = false) -> String {
        let elapsed = max(0, now - start)
        var parts = [title]
        if let total {
            parts.append("\(completed)/\(total)")
            if total > 0 { parts.append("\(Int((Double(completed) / Double(total) * 100).rounded(.down)))%") }
        } else {
            parts.append("\(completed)")
        }
        if !detail.isEmpty { parts.append(detail) }
        if elapsed > 0, completed > 0 {
            let rate = Double(completed) / elapsed
            parts.append("\(rate >= 100 ? String(Int(rate.rounded())) : NumberText.format(rate, significantDigits: 3))/s")
            if !final, let total, total > completed {
                let left = Double(total - completed) * elapsed / Double(completed)
                parts.append("\(NumberText.duration(left)) left")
            }
        }
        if final { parts.append("in \(NumberText.duration(elapsed))") }
        return parts.joined(separator: "  ")
    }
}
