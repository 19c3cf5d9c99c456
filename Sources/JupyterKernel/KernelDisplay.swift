import Foundation
import Notebook
import Platform

/// The session's output as Jupyter messages on iopub, for the cell being run: printed text as
/// `stream`, values as `execute_result` (the cell's last) or `display_data`, figures as
/// `display_data` with the image inline, errors as `error`, and progress as a display updated in
/// place (only for work that runs longer than ``progressDelay``, so quick verbs leave no empty
/// progress output in the notebook).
///
/// The last value shown is held back until something else is shown or the cell ends, so the
/// cell's final value becomes its `execute_result` and earlier ones `display_data`, in order.
final class KernelDisplay: RichDisplay {
    private let publisher: Publisher
    /// The request being answered; outputs are its children. Nil between requests.
    private var parent: WireMessage?
    /// A silent request shows nothing.
    private var silent = false
    private var pendingValue: Value?
    private var progressID: String?
    private var progressCount = 0
    /// When the current run of progress lines began, before its display is shown.
    private var progressStarted: Double?
    /// Seconds of work before progress is shown.
    static let progressDelay = 0.5
    /// The error that ended the cell, for the reply.
    private(set) var lastError: NotebookError?

    init(publisher: Publisher) {
        self.publisher = publisher
    }

    /// Starts showing the outputs of `request`.
    func begin(_ request: WireMessage, silent: Bool) {
        parent = request
        self.silent = silent
        pendingValue = nil
        progressID = nil
        progressStarted = nil
        lastError = nil
    }

    /// Ends the request: its held-back value becomes the `execute_result` of cell `executionCount`.
    func finish(executionCount: Int) {
        if let value = pendingValue, !silent {
            publisher.publish("execute_result", ["execution_count": .number(Double(executionCount)),
                                                 "data": .object(JupyterOutput.bundle(for: value)), "metadata": [:]],
                              parent: parent)
        }
        pendingValue = nil
        parent = nil
    }

    /// Printed text, on `stdout` or `stderr`.
    func stream(_ text: String, name: String) {
        flushValue()
        guard !silent, parent != nil else { return }
        publisher.publish("stream", ["name": .string(name), "text": .string(text)], parent: parent)
    }

    func show(_ value: Value) {
        flushValue()
        pendingValue = value
    }

    func show(_ figure: Figure) {
        flushValue()
        guard !silent else { return }
        publisher.publish("display_data", ["data": .object(JupyterOutput.bundle(for: figure)), "metadata": [:], "transient": [:]],
                          parent: parent)
    }

    func report(_ error: NotebookError) {
        flushValue()
        lastError = error
        guard !silent else { return }
        publisher.publish("error", .object(JupyterOutput.errorContent(error)), parent: parent)
    }

    func status(_ line: String?) {
        guard !silent else { return }
        let data: JSONValue = ["text/plain": .string(line ?? "")]
        if let progressID {
            publisher.publish("update_display_data", ["data": data, "metadata": [:], "transient": ["display_id": .string(progressID)]],
                              parent: parent)
            if line == nil { (self.progressID, progressStarted) = (nil, nil) }
        } else if line == nil {
            progressStarted = nil
        } else if let line {
            let now = ProgressReporter.monotonicSeconds()
            let started = progressStarted ?? now
            progressStarted = started
            guard now - started >= Self.progressDelay else { return }
            flushValue()
            progressCount += 1
            let id = "hybridsign-progress-\(publisher.session)-\(progressCount)"
            progressID = id
            publisher.publish("display_data", ["data": ["text/plain": .string(line)], "metadata": [:],
                                               "transient": ["display_id": .string(id)]], parent: parent)
        }
    }

    private func flushValue() {
        guard let value = pendingValue else { return }
        pendingValue = nil
        guard !silent else { return }
        publisher.publish("display_data", ["data": .object(JupyterOutput.bundle(for: value)), "metadata": [:], "transient": [:]],
                          parent: parent)
    }
}
