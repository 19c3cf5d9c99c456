import Foundation
import Platform

/// `read_lines PATH`: the lines of a text file, for batch generation over a list of texts.
struct ReadLinesVerb: Verb {
    let signature = VerbSignature(
        name: "read_lines",
        summary: "the non-empty lines of a UTF-8 text file, trimmed (lines starting with # are skipped)",
        positional: [Parameter("path", .string, "the text file", placeholder: "PATH")],
        named: [Parameter("keep_empty", .bool, "keep empty lines and # lines", default: .bool(false))],
        returns: "a list of strings",
        examples: ["let texts = read_lines \"texts.txt\"", "for t in read_lines \"texts.txt\" { print t }"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let path = try arguments.string("path")
        let keepEmpty = try arguments.bool("keep_empty")
        let text = try Self.text(of: context.inputURL(path), named: path, arguments: arguments, context: context)
        var lines: [Value] = []
        // An empty file has no lines (splitting "" would give one empty line).
        guard !text.isEmpty else { return .list([]) }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if !keepEmpty && (trimmed.isEmpty || trimmed.hasPrefix("#")) { continue }
            lines.append(.string(trimmed))
        }
        // The newline that ends the last line does not start another.
        if keepEmpty, text.hasSuffix("\n"), !lines.isEmpty { lines.removeLast() }
        return .list(lines)
    }

    /// The file's text (``Platform/TextFile``: a regular UTF-8 file of at most 16 MiB with no NUL).
    private static func text(of url: URL, named path: String, arguments: Arguments, context: VerbContext) throws -> String {
        do {
            return try TextFile.read(path: url.path)
        } catch {
            if error.problem == .missing {
                throw arguments.error("no file '\(path)'", at: "path", hint: context.searchedPlaces(for: path))
            }
            throw arguments.error("'\(path)' \(error.reason)", at: "path", hint: error.hint)
        }
    }
}
