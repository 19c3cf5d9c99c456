import Foundation
import Platform

/// The read–run loop: reads lines (more while a block, list or parenthesis is open), runs them as
/// cells of a ``Session``, and prints the prompt again.
///
/// Interactive, errors are printed and the loop goes on. Reading piped input (`stopOnError`), the
/// first error ends the loop with a non-zero status, as a script would.
public final class REPL {
    /// The session the cells run in.
    public let session: Session
    private let reader: LineReader
    private let stopOnError: Bool
    private let sourceName: String?

    /// Creates a loop over `reader`. `sourceName` names piped input in error messages
    /// (`<stdin>:3:5: …`); interactive cells are named `cell N`.
    public init(session: Session, reader: LineReader, stopOnError: Bool, sourceName: String? = nil) {
        self.session = session
        self.reader = reader
        self.stopOnError = stopOnError
        self.sourceName = sourceName
    }

    /// Runs until `:quit`, end of input, or (with `stopOnError`) the first error; returns the exit status.
    public func run() -> Int32 {
        var buffer = ""
        var lineNumber = 0
        var firstLine = 1
        while true {
            let prompt = buffer.isEmpty ? session.prompt : Session.continuationPrompt
            switch reader.read(prompt: prompt) {
            case .end:
                if !buffer.isEmpty && !stopOnError {
                    // Ctrl-D at a continuation prompt drops the unfinished block, not the session.
                    buffer = ""
                    session.output.print("")
                    continue
                }
                if !buffer.isEmpty {
                    // The input ended inside a block: run it so the error says what is missing.
                    let outcome = session.submit(buffer, sourceName: sourceName, firstLine: firstLine)
                    if stopOnError && outcome != .success { return ScriptRunner.ExitStatus.failure }
                }
                // Ctrl-D at a prompt ends the prompt's line, so the shell's prompt starts on its own.
                if !stopOnError { session.output.print("") }
                return ScriptRunner.ExitStatus.success
            case .interrupted:
                if let ended = endedBySignal() { return ended }
                buffer = ""
                session.output.print("")
                continue
            case .line(let line):
                lineNumber += 1
                // Piped input counts lines from the start of the input; a typed cell from its own start.
                if buffer.isEmpty { firstLine = sourceName == nil ? 1 : lineNumber }
                buffer += line + "\n"
                if session.needsMoreInput(buffer) { continue }
                let text = buffer
                buffer = ""
                reader.remember(text)
                let outcome = session.submit(text, sourceName: sourceName, firstLine: firstLine)
                if let ended = endedBySignal() { return ended }
                switch outcome {
                case .quit: return ScriptRunner.ExitStatus.success
                case .failure where stopOnError: return ScriptRunner.ExitStatus.failure
                case .interrupted where stopOnError: return ScriptRunner.ExitStatus.interrupted
                default: continue
                }
            }
        }
    }

    /// The exit status when SIGTERM asked the process to end (the running cell has stopped), else nil.
    private func endedBySignal() -> Int32? {
        session.interpreter.context.interrupt.terminationSignal.map(InterruptHandling.exitStatus(for:))
    }

    /// Starts the notebook on this process's terminal: libedit with history and completion when
    /// standard input is a terminal, plain reading (no prompts, stop at the first error) otherwise.
    public static func runStandard(registry: VerbRegistry = VerbRegistry(), historyPath: String = EditLineReader.defaultHistoryPath) -> Int32 {
        InterruptHandling.install()
        let interactive = isatty(STDIN_FILENO) == 1
        let output = NotebookOutput.standard()
        let session = Session(registry: registry, output: output)
        if interactive {
            let reader = EditLineReader(historyPath: historyPath) {
                Completer(registry: session.interpreter.registry, variables: session.interpreter.variables)
            }
            output.print("HybridSign notebook — :help lists verbs and commands, Tab completes, Ctrl-D leaves.")
            return REPL(session: session, reader: reader, stopOnError: false).run()
        }
        return REPL(session: session, reader: PlainLineReader(), stopOnError: true, sourceName: "<stdin>").run()
    }
}
