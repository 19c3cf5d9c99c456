import ArgumentParser
import Notebook
import Platform

/// `hybridsign run FILE.hsl [--set name=value ...]`: runs a notebook script.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a notebook script; stops at the first error with file:line:column and a non-zero exit.",
        discussion: "Relative paths the script reads are looked up in the current directory, then in the script's directory.")

    @Argument(help: ArgumentHelp("The script to run.", valueName: "FILE.hsl"))
    var file: String

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a variable before the script runs: a literal (3, 0.5, \"Baum\", true, [1, 2]) or a bare word (a string); the script's top-level `let` of that name keeps this value, so scripts declare their defaults with let. Repeatable.",
        valueName: "name=value"))
    var settings: [String] = []

    func run() throws {
        InterruptHandling.install()
        let status = ScriptRunner(output: .standard()).runFile(file, settings: settings)
        if status != 0 { throw ExitCode(status) }
    }
}
