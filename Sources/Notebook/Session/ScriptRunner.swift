import Foundation
import Platform

/// Runs scripts (`hybridsign run FILE.hsl`) and single statements (`hybridsign -e`).
///
/// A script is parsed whole before anything runs, so a syntax error anywhere stops it at once.
/// Statements then run in order; values of bare commands are printed as in the REPL. The first
/// error prints `file:line:column: message` with the line and a caret, and the run ends.
public struct ScriptRunner {
    /// Exit statuses.
    public enum ExitStatus {
        public static let success: Int32 = 0
        public static let failure: Int32 = 1
        /// 128 + SIGINT, as shells report a command stopped by Ctrl-C.
        public static let interrupted: Int32 = 130

        /// The status of a run that `interrupt` stopped: 128 + SIGTERM when SIGTERM asked the
        /// process to end, ``interrupted`` otherwise.
        public static func interrupted(by interrupt: InterruptFlag) -> Int32 {
            interrupt.terminationSignal.map(InterruptHandling.exitStatus(for:)) ?? interrupted
        }
    }

    /// The verbs scripts may use.
    public var registry: VerbRegistry
    /// Where the script prints.
    public var output: NotebookOutput
    /// The flag Ctrl-C and SIGTERM set.
    public var interrupt: InterruptFlag

    /// Creates a runner.
    public init(registry: VerbRegistry = VerbRegistry(), output: NotebookOutput, interrupt: InterruptFlag = .process) {
        self.registry = registry
        self.output = output
        self.interrupt = interrupt
    }

    /// Runs the script at `path` with `--set name=value` settings; returns the exit status.
    public func runFile(_ path: String, settings: [String] = []) -> Int32 {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it" : "no such file"
            output.printError("\(path): \(reason)")
            return ExitStatus.failure
        }
        guard let text = String(data: data, encoding: .utf8) else {
            output.printError("\(path): not UTF-8 text")
            return ExitStatus.failure
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        return run(SourceText(name: path, text: text), settings: settings, scriptDirectory: directory)
    }

    /// Runs `source` with `--set name=value` settings; returns the exit status. Relative input
    /// paths missing from the current directory are looked up in `scriptDirectory`.
    public func run(_ source: SourceText, settings: [String] = [], scriptDirectory: URL? = nil) -> Int32 {
        let interpreter = Interpreter(registry: registry, output: output, interrupt: interrupt)
        interpreter.context.scriptDirectory = scriptDirectory
        interrupt.clear()
        do {
            var parsedSettings: [(name: String, value: Value)] = []
            for setting in settings {
                let (name, value) = try Self.parseSetting(setting, vocabulary: interpreter.vocabulary)
                parsedSettings.append((name, value))
            }
            let statements = try interpreter.parse(source)
            try Self.checkSettingsAreUsed(parsedSettings.map(\.name), by: statements, scriptName: source.name)
            for (name, value) in parsedSettings { interpreter.setSetting(name, value) }
            try interpreter.run(statements, source: source) { value in output.show(value) }
            return ExitStatus.success
        } catch {
            output.clearStatus()
            if error.kind == .interrupted {
                output.printError("interrupted" + (error.range.map { " at \(source.name):\($0.start.line)" } ?? ""))
                return ExitStatus.interrupted(by: interrupt)
            }
            output.printError(error.formatted())
            return ExitStatus.failure
        }
    }

    /// Refuses a `--set` name the script never binds or reads (`--set stpes=5` would otherwise
    /// be ignored without a word), suggesting the names it does use.
    static func checkSettingsAreUsed(_ names: [String], by statements: [Statement], scriptName: String) throws(NotebookError) {
        let used = NamesUsed(statements)
        for name in names where !used.all.contains(name) {
            let settable = used.bound.filter { $0.first != "_" }
            let suggestion = Suggestions.didYouMean(name, among: settable)
            throw NotebookError(.syntax, "--set \(name): \(scriptName) never uses a variable '\(name)'\(suggestion)",
                                hint: settable.isEmpty ? "the script defines no variables to set"
                                    : "the script's variables: " + settable.sorted().joined(separator: ", "))
        }
    }

    /// Parses `name=value`: the value is a literal of the language (`3`, `0.5`, `"Baum"`, `true`,
    /// `[1, 2]`); a bare word that is not a literal is taken as a string, so `--set word=Baum` works.
    public static func parseSetting(_ setting: String, vocabulary: Vocabulary) throws(NotebookError) -> (String, Value) {
        guard let equals = setting.firstIndex(of: "=") else {
            throw NotebookError(.syntax, "--set needs name=value, got '\(setting)'", hint: "for example: --set steps=200")
        }
        let name = String(setting[..<equals])
        let text = String(setting[setting.index(after: equals)...])
        let isName = name.first.map { $0.isLetter } == true && name.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
        guard isName, !vocabulary.isReserved(name), !vocabulary.verbs.contains(name) else {
            throw NotebookError(.syntax, "--set: '\(name)' cannot name a variable",
                                hint: "names are letters, digits and _, start with a letter, and are not verbs or keywords")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let looksLiteral = trimmed.first.map { "\"[-+.0123456789".contains($0) } == true
            || ["true", "false", "none"].contains(trimmed)
        guard looksLiteral else { return (name, .string(text)) }
        let source = SourceText(name: "--set \(name)", text: trimmed)
        do {
            let expression = try Parser.parseExpression(source, vocabulary: vocabulary)
            return (name, try literal(expression))
        } catch {
            throw error.attaching(source)
        }
    }

    private static func literal(_ expression: Expression) throws(NotebookError) -> Value {
        switch expression.kind {
        case .number(let value): return .number(value)
        case .string(let value): return .string(value)
        case .bool(let value): return .bool(value)
        case .none: return .none
        case .list(let elements):
            var values: [Value] = []
            for element in elements { values.append(try literal(element)) }
            return .list(values)
        default:
            throw NotebookError(.syntax, "a --set value must be a literal: a number, \"string\", true, false, none or [list]",
                                at: expression.range)
        }
    }
}
