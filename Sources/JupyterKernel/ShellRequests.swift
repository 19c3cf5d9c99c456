import Foundation
import Notebook

/// The shell channel's requests: run cells, complete, inspect, say whether input is complete,
/// describe the kernel, list history.
extension Kernel {
    func handleShell(_ message: WireMessage) {
        switch message.type {
        case "execute_request": execute(message)
        case "complete_request": complete(message)
        case "inspect_request": inspect(message)
        case "is_complete_request": isComplete(message)
        case "kernel_info_request": reply(to: message, type: "kernel_info_reply", content: kernelInfo)
        case "history_request": reply(to: message, type: "history_reply", content: history(message.content))
        case "comm_info_request": reply(to: message, type: "comm_info_reply", content: ["status": "ok", "comms": [:]])
        case "shutdown_request": shutDown(message, replyingOn: shellSocket)
        default: log("shell message '\(message.type)' is not supported; ignored")
        }
    }

    /// What `kernel_info_reply` says about the kernel and its language.
    var kernelInfo: JSONValue {
        [
            "status": "ok",
            "protocol_version": .string(WireMessage.protocolVersion),
            "implementation": "hybridsign",
            "implementation_version": "1",
            "language_info": JupyterOutput.languageInfo,
            "banner": "HybridSign notebook — :help lists verbs and commands, Tab completes, Shift-Tab explains the word under the cursor.",
            "help_links": [],
        ]
    }

    /// Runs the request's code as a cell (a `:` command runs as at the REPL).
    private func execute(_ request: WireMessage) {
        let code = request.content["code"]?.string ?? ""
        let silent = request.content["silent"]?.bool ?? false
        let recorded = !silent && (request.content["store_history"]?.bool ?? true)
        if !silent {
            publisher.publish("execute_input", ["code": .string(code), "execution_count": .number(Double(session.nextCellNumber))],
                              parent: request)
        }
        display.begin(request, silent: silent)
        let outcome = session.submit(code, recorded: recorded)
        if outcome == .quit {
            display.stream(":quit ends the terminal REPL; stop a kernel from Jupyter (Kernel ▸ Shut Down Kernel)\n", name: "stderr")
        }
        let count = session.cells.count
        display.finish(executionCount: count)
        var content: [String: JSONValue] = ["execution_count": .number(Double(count))]
        if let error = display.lastError, outcome == .failure || outcome == .interrupted {
            content.merge(JupyterOutput.errorContent(error)) { _, new in new }
            content["status"] = "error"
        } else {
            content["status"] = "ok"
            content["user_expressions"] = [:]
            content["payload"] = []
        }
        reply(to: request, type: "execute_reply", content: .object(content))
    }

    /// Completions from the REPL's completer for the word before the cursor.
    private func complete(_ request: WireMessage) {
        let (_, line, cursor) = Self.codeBeforeCursor(request.content)
        let completer = Completer(registry: session.interpreter.registry, variables: session.interpreter.variables)
        let matches = completer.completions(forLinePrefix: line)
        let word = Completer.word(in: line)
        reply(to: request, type: "complete_reply", content: [
            "status": "ok",
            "matches": .array(matches.map(JSONValue.string)),
            "cursor_start": .number(Double(cursor - word.unicodeScalars.count)),
            "cursor_end": .number(Double(cursor)),
            "metadata": [:],
        ])
    }

    /// Help on the word at the cursor: a verb's page, a command's usage, a variable's view.
    private func inspect(_ request: WireMessage) {
        let (code, prefix, _) = Self.codeBeforeCursor(request.content)
        let text = session.inspection(of: code, cursor: prefix.count)
        reply(to: request, type: "inspect_reply", content: [
            "status": "ok",
            "found": .bool(text != nil),
            "data": text.map { ["text/plain": .string($0)] } ?? [:],
            "metadata": [:],
        ])
    }

    /// A request's code, the code before its cursor, and the cursor (`cursor_pos`, counted in
    /// Unicode code points as protocol 5.2 and later count it; the end when missing).
    private static func codeBeforeCursor(_ content: JSONValue) -> (code: String, prefix: String, cursor: Int) {
        let code = content["code"]?.string ?? ""
        let scalars = Array(code.unicodeScalars)
        let cursor = max(0, min(content["cursor_pos"]?.integer ?? scalars.count, scalars.count))
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars[..<cursor])
        return (code, String(prefix), cursor)
    }

    /// `complete`, `incomplete` (an open block, list or parenthesis) or `invalid`.
    private func isComplete(_ request: WireMessage) {
        let code = request.content["code"]?.string ?? ""
        let content: JSONValue
        switch session.completeness(of: code) {
        case .complete: content = ["status": "complete"]
        case .incomplete: content = ["status": "incomplete", "indent": "  "]
        case .invalid: content = ["status": "invalid"]
        }
        reply(to: request, type: "is_complete_reply", content: content)
    }

    /// The session's cells as history entries `[session, line, input]` (the last `n` for `tail`).
    private func history(_ request: JSONValue) -> JSONValue {
        var cells = session.cells
        if request["hist_access_type"]?.string == "tail", let count = request["n"]?.integer, count >= 0 {
            cells = Array(cells.suffix(count))
        }
        let entries = cells.map { JSONValue.array([0, .number(Double($0.number)), .string($0.source)]) }
        return ["status": "ok", "history": .array(entries)]
    }
}
