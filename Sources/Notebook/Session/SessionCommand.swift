import Foundation

/// The session commands: lines starting with `:`.
public enum SessionCommand: Equatable, Sendable {
    case help(String?)
    case vars
    case history
    case save(String)
    case load(String)
    case time(String)
    case export(String)
    case changeDirectory(String)
    case printDirectory
    case quit

    /// A command's usage and one-line summary, for `:help` and completion.
    public struct Info: Sendable {
        /// The command's name without the colon.
        public var name: String
        /// `:save FILE.hsl`.
        public var usage: String
        /// What it does.
        public var summary: String
    }

    /// Every session command.
    public static let all: [Info] = [
        Info(name: "help", usage: ":help [NAME]", summary: "list the verbs, or explain a verb, :command, variable, type or keyword (?NAME too)"),
        Info(name: "vars", usage: ":vars", summary: "list the variables with their types"),
        Info(name: "history", usage: ":history", summary: "list this session's cells"),
        Info(name: "save", usage: ":save FILE.hsl", summary: "save the cells that ran without error as a script"),
        Info(name: "load", usage: ":load FILE.hsl", summary: "run a script's statements as cells of this session"),
        Info(name: "time", usage: ":time STATEMENT", summary: "run a statement and print how long it took"),
        Info(name: "export", usage: ":export NOTEBOOK",
             summary: "write the session as NOTEBOOK.md (Markdown, images in a folder beside it) or NOTEBOOK.ipynb (Jupyter, images inside)"),
        Info(name: "cd", usage: ":cd DIR", summary: "change the current directory (relative paths start there; ~ is home)"),
        Info(name: "pwd", usage: ":pwd", summary: "print the current directory"),
        Info(name: "quit", usage: ":quit", summary: "leave (as does Ctrl-D)"),
    ]

    /// Parses a line that starts with `:`.
    public static func parse(_ line: String) throws(NotebookError) -> SessionCommand {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        precondition(trimmed.hasPrefix(":"), "session commands start with ':'")
        let body = trimmed.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        func requireArgument(_ what: String) throws(NotebookError) -> String {
            guard !argument.isEmpty else {
                throw NotebookError(.syntax, ":\(name) needs \(what)", hint: "usage: " + (all.first { $0.name == name }?.usage ?? ""))
            }
            return unquoted(argument)
        }
        func requireNoArgument() throws(NotebookError) {
            guard argument.isEmpty else {
                throw NotebookError(.syntax, ":\(name) takes no argument", hint: "usage: :\(name)")
            }
        }
        switch name {
        case "help", "h", "?": return .help(argument.isEmpty ? nil : argument)
        case "vars": try requireNoArgument(); return .vars
        case "history": try requireNoArgument(); return .history
        case "save": return .save(try requireArgument("a file name"))
        case "load": return .load(try requireArgument("a file name"))
        case "time": return .time(try requireArgument("a statement"))
        case "export": return .export(try requireArgument("a file name"))
        case "cd": return .changeDirectory(argument.isEmpty ? "~" : unquoted(argument))
        case "pwd": try requireNoArgument(); return .printDirectory
        case "quit", "q", "exit": try requireNoArgument(); return .quit
        default:
            let suggestion = Suggestions.didYouMean(name, among: all.map(\.name))
            throw NotebookError(.syntax, "unknown session command ':\(name)'\(suggestion)",
                                hint: "the commands: " + all.map { ":" + $0.name }.joined(separator: " "))
        }
    }

    /// A file argument may be written with or without double quotes.
    private static func unquoted(_ text: String) -> String {
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return String(text.dropFirst().dropLast()) }
        return text
    }
}
