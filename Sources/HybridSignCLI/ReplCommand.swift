import ArgumentParser
import Foundation
import Notebook
import Platform

/// `hybridsign` (no arguments), `hybridsign repl`, `hybridsign -e 'STATEMENT'`: the notebook.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Start the notebook REPL (the default), or run one statement with -e.",
        discussion: """
            With a terminal: line editing, history in ~/.hybridsign_history, Tab completion, \
            Ctrl-C stops a running statement, Ctrl-D leaves. With piped input: statements are read \
            without prompts and the first error ends the run with a non-zero status. \
            The language: Docs/language.md, or :help inside the notebook.
            """)

    @Option(name: .customShort("e"), help: ArgumentHelp("Run STATEMENT (statements separated by ; or a session command such as :help VERB) and exit.", valueName: "STATEMENT"))
    var statement: String?

    func run() throws {
        let status: Int32
        if let statement {
            InterruptHandling.install()
            switch Session(output: .standard()).submit(statement, sourceName: "-e") {
            case .success, .quit: status = ScriptRunner.ExitStatus.success
            case .failure: status = ScriptRunner.ExitStatus.failure
            case .interrupted: status = ScriptRunner.ExitStatus.interrupted(by: .process)
            }
        } else {
            status = REPL.runStandard()
        }
        if status != 0 { throw ExitCode(status) }
    }
}
