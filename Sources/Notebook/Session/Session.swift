import Foundation
import Platform

/// A notebook session: numbered cells, the results `_` and `_N`, and the `:` commands.
///
/// The REPL, piped standard input and `:load` all go through ``submit(_:sourceName:firstLine:)``.
public final class Session {
    /// How an input ended.
    public enum Outcome: Equatable, Sendable {
        case success
        case failure
        case interrupted
        case quit
    }

    /// The interpreter that runs the cells.
    public let interpreter: Interpreter
    /// Where cells print.
    public let output: NotebookOutput
    /// The cells run so far.
    public private(set) var cells: [Cell] = []
    /// Seconds from a monotonic clock, for `:time`.
    private let clock: () -> Double

    /// Creates a session with the given verbs, printing to `output`, interrupted through `interrupt`.
    public init(registry: VerbRegistry = VerbRegistry(), output: NotebookOutput, interrupt: InterruptFlag = .process,
                clock: @escaping () -> Double = ProgressReporter.monotonicSeconds) {
        self.interpreter = Interpreter(registry: registry, output: output, interrupt: interrupt)
        self.output = output
        self.clock = clock
    }

    /// The number the next cell gets.
    public var nextCellNumber: Int { cells.count + 1 }

    /// The prompt for the next cell: `[3]> `.
    public var prompt: String { "[\(nextCellNumber)]> " }

    /// The prompt for continuation lines of a block, list or parenthesised command.
    public static let continuationPrompt = "...> "

    /// Whether input is ready to run.
    public enum Completeness: Equatable, Sendable {
        /// It parses (or is a session command): run it.
        case complete
        /// It stops inside an open block, list, parenthesis, index or string: read more.
        case incomplete
        /// It cannot be made right by reading more; running it reports the error.
        case invalid
    }

    /// Whether `text` is ready to run, stops inside an open block, or has a syntax error.
    public func completeness(of text: String) -> Completeness {
        guard !Self.isSessionCommand(text.trimmingCharacters(in: .whitespaces)) else { return .complete }
        do {
            _ = try interpreter.parse(SourceText(name: "", text: text))
            return .complete
        } catch {
            return error.kind == .incomplete ? .incomplete : .invalid
        }
    }

    /// Whether `text` stops inside an open block, list, parenthesis or index, so the REPL should
    /// read another line before running it.
    public func needsMoreInput(_ text: String) -> Bool {
        completeness(of: text) == .incomplete
    }

    /// Runs one input: a session command (`:help`) or statements, which become a new cell.
    ///
    /// With `recorded` false (a Jupyter client's silent request) the statements run without
    /// becoming a cell: no number, no `_`/`_N`, nothing in `:history` or exports.
    @discardableResult
    public func submit(_ input: String, sourceName: String? = nil, firstLine: Int = 1, recorded: Bool = true) -> Outcome {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .success }
        if Self.isSessionCommand(trimmed) {
            do {
                // `?d` is `:help d`.
                let command = trimmed.hasPrefix("?") ? ":help " + trimmed.dropFirst() : trimmed
                return try perform(try SessionCommand.parse(command))
            } catch {
                output.report(error)
                return .failure
            }
        }
        let name = sourceName ?? "cell \(nextCellNumber)"
        return runCell(text: input, source: SourceText(name: name, text: input, firstLine: firstLine), statements: nil,
                       recorded: recorded)
    }

    /// Whether a line is a session command: `:help`, `:cd out`, or `?d` (help on `d`).
    static func isSessionCommand(_ trimmed: String) -> Bool {
        trimmed.hasPrefix(":") || trimmed.hasPrefix("?")
    }

    /// Runs statements as a new cell. `statements` are parsed from `source` when nil.
    private func runCell(text: String, source: SourceText, statements: [Statement]?, timed: Bool = false,
                         recorded: Bool = true) -> Outcome {
        let number = nextCellNumber
        interpreter.context.interrupt.clear()
        _ = output.takeOutputs()
        _ = interpreter.context.takeArtifacts()
        var lastValue: Value?
        var outcome = Outcome.success
        let start = clock()
        do {
            let parsed: [Statement]
            if let statements { parsed = statements } else { parsed = try interpreter.parse(source) }
            try interpreter.run(parsed, source: source) { value in
                output.show(value)
                lastValue = value
                if case .file(let file) = value, !interpreter.context.artifacts.contains(file) {
                    interpreter.context.attach(file)
                }
            }
        } catch {
            output.report(error.attaching(source))
            outcome = error.kind == .interrupted ? .interrupted : .failure
        }
        if timed {
            output.print("time: \(NumberText.elapsed(clock() - start))")
        }
        let outputs = output.takeOutputs()
        let artifacts = interpreter.context.takeArtifacts()
        guard recorded else { return outcome }
        cells.append(Cell(number: number, source: text.trimmingCharacters(in: .newlines), outputs: outputs,
                          value: lastValue, artifacts: artifacts, succeeded: outcome == .success,
                          interrupted: outcome == .interrupted))
        if let lastValue {
            interpreter.setVariable("_", lastValue)
            interpreter.setVariable("_\(number)", lastValue)
        }
        return outcome
    }

    private func perform(_ command: SessionCommand) throws(NotebookError) -> Outcome {
        switch command {
        case .help(nil):
            output.print(VerbHelp.overview(interpreter.registry))
        case .help(let topic?):
            try showHelp(topic)
        case .vars:
            output.print(variablesTable(columns: output.columns()).rendered(maxCellWidth: .max))
        case .history:
            output.print(historyText())
        case .save(let path):
            let kept = cells.filter(\.isKept)
            var script = "# HybridSign session, saved from \(cells.count) cells (\(kept.count) without errors)\n"
            script += kept.map { cell in
                cell.interrupted ? "# stopped by Ctrl-C in the session: it ran only in part there\n" + cell.source : cell.source
            }.joined(separator: "\n") + "\n"
            try NotebookFile.write(script, to: path)
            output.print("saved \(kept.count) \(kept.count == 1 ? "statement" : "statements") to \(path)")
        case .load(let path):
            return try load(path)
        case .time(let statement):
            let name = "cell \(nextCellNumber)"
            return runCell(text: statement, source: SourceText(name: name, text: statement), statements: nil, timed: true)
        case .export(let path):
            let summary = try NotebookExporter.export(cells, to: path)
            let images = "\(summary.images) \(summary.images == 1 ? "image" : "images")"
            output.print("exported \(cells.count) \(cells.count == 1 ? "cell" : "cells") and \(images) to \(path)"
                         + (summary.imageDirectory.map { " (images in \($0))" } ?? ""))
        case .changeDirectory(let path):
            try changeDirectory(to: path)
        case .printDirectory:
            output.print(FileManager.default.currentDirectoryPath)
        case .quit:
            return .quit
        }
        return .success
    }

    /// `:help TOPIC`: `:NAME` is always the session command (`:help :export`, not the verb
    /// `export`); a bare name is a verb, a session command, a variable, a type or a keyword.
    private func showHelp(_ topic: String) throws(NotebookError) {
        let isCommand = topic.hasPrefix(":")
        let name = isCommand ? String(topic.dropFirst()) : topic
        let command = SessionCommand.all.first { $0.name == name }
        if isCommand, let command {
            output.print("\(command.usage)\n  \(command.summary)")
        } else if !isCommand, let verb = interpreter.registry.verb(named: name) {
            output.print(VerbHelp.page(for: verb.signature))
        } else if let command {
            output.print("\(command.usage)\n  \(command.summary)")
        } else if !isCommand, let text = TopicHelp.text(for: name, registry: interpreter.registry, variables: interpreter.variables) {
            output.print(text)
        } else {
            let candidates = isCommand ? SessionCommand.all.map(\.name)
                : interpreter.registry.names + SessionCommand.all.map(\.name) + TopicHelp.topics(variables: interpreter.variables)
            throw NotebookError(.syntax, "no help for '\(topic)'\(Suggestions.didYouMean(name, among: candidates))",
                                hint: "`:help` lists the verbs and commands; `:help NAME` also explains variables, types and keywords")
        }
    }

    /// `:cd DIR`: relative paths in later cells (load, render, export) start there.
    private func changeDirectory(to path: String) throws(NotebookError) {
        let expanded = (path as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) else {
            throw NotebookError("no such directory '\(path)'",
                                hint: "the current directory is \(FileManager.default.currentDirectoryPath) (`:pwd`)")
        }
        guard isDirectory.boolValue else {
            throw NotebookError("'\(path)' is a file, not a directory", hint: "give the directory that holds it")
        }
        guard FileManager.default.changeCurrentDirectoryPath(expanded) else {
            throw NotebookError("cannot enter '\(path)'", hint: "check its permissions")
        }
        output.print(FileManager.default.currentDirectoryPath)
    }

    /// The variables as a table of name, type and value (results `_N` left out). With
    /// `columns` (the terminal's width), each value is cut to fit the line; else to 48 characters.
    public func variablesTable(columns: Int? = nil) -> Table {
        var table = Table(columns: ["name", "type", "value"])
        let names = interpreter.variables.keys.sorted().filter { $0.first != "_" }
        let nameWidth = max(4, names.map(\.count).max() ?? 0)
        let typeWidth = max(4, names.map { interpreter.variables[$0]!.typeName.count }.max() ?? 0)
        // Two spaces between columns; at least 20 columns for the value however narrow the screen.
        let valueWidth = columns.map { max(20, $0 - 1 - nameWidth - typeWidth - 4) } ?? 48
        for name in names {
            let value = interpreter.variables[name]!
            let text = value.inlineText.replacingOccurrences(of: "\n", with: " ")
            let fitted = text.count <= valueWidth ? text : String(text.prefix(valueWidth - 1)) + "…"
            table.append([.string(name), .string(value.typeName), .string(fitted)])
        }
        if table.rows.isEmpty { table.footnote = "no variables yet: let x = …" }
        return table
    }

    private func historyText() -> String {
        guard !cells.isEmpty else { return "no cells yet" }
        return cells.map { cell in
            let marker = cell.succeeded ? "" : cell.interrupted ? "  # interrupted" : "  # failed"
            let lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
            let indent = String(repeating: " ", count: "[\(cell.number)] ".count)
            return "[\(cell.number)] " + lines.joined(separator: "\n" + indent) + marker
        }.joined(separator: "\n")
    }

    /// Runs a script's statements as cells, one per top-level statement; stops at the first error.
    private func load(_ path: String) throws(NotebookError) -> Outcome {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw NotebookError("cannot read '\(path)'", hint: FileManager.default.fileExists(atPath: path)
                                ? "is it UTF-8 text?" : "no such file (relative to \(FileManager.default.currentDirectoryPath))")
        }
        let source = SourceText(name: path, text: text)
        let statements = try interpreter.parse(source)
        let previousDirectory = interpreter.context.scriptDirectory
        interpreter.context.scriptDirectory = URL(fileURLWithPath: path).deletingLastPathComponent()
        defer { interpreter.context.scriptDirectory = previousDirectory }
        for statement in statements {
            let outcome = runCell(text: source.text(of: statement.range), source: source, statements: [statement])
            if outcome != .success { return outcome }
        }
        output.print("loaded \(statements.count) \(statements.count == 1 ? "statement" : "statements") from \(path)")
        return .success
    }
}
