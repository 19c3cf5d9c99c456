import Foundation

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
        let url = context.inputURL(path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw arguments.error(exists ? "cannot read '\(path)'" : "no file '\(path)'", at: "path",
                                  hint: exists ? "check its permissions" : context.searchedPlaces(for: path))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw arguments.error("'\(path)' is not UTF-8 text", at: "path")
        }
        var lines: [Value] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if !keepEmpty && (trimmed.isEmpty || trimmed.hasPrefix("#")) { continue }
            lines.append(.string(trimmed))
        }
        if keepEmpty, text.hasSuffix("\n"), !lines.isEmpty { lines.removeLast() }
        return .list(lines)
    }
}
