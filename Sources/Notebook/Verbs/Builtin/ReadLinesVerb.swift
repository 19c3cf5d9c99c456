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

    /// The largest file read (16 MiB): a list of texts to sign is far smaller, and a larger file is
    /// a mistaken path (a dataset, a model) that would otherwise be turned into a list whole.
    static let maximumBytes = 16 << 20

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

    /// The file's text, read through a mapping (``Platform/MappedFile``, which refuses anything
    /// but a regular file) after its size is checked against ``maximumBytes``; a file with a NUL
    /// byte or that is not UTF-8 is refused as not text.
    private static func text(of url: URL, named path: String, arguments: Arguments, context: VerbContext) throws -> String {
        let file: MappedFile
        do { file = try MappedFile(path: url.path) } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if !exists {
                throw arguments.error("no file '\(path)'", at: "path", hint: context.searchedPlaces(for: path))
            }
            if isDirectory.boolValue {
                throw arguments.error("'\(path)' is a directory, not a text file", at: "path", hint: "give the path of a file in it")
            }
            throw arguments.error("cannot read '\(path)': \(error.reason)", at: "path", hint: "check its permissions")
        }
        return try withExtendedLifetime(file) {
            guard file.count <= maximumBytes else {
                throw arguments.error("'\(path)' is \(file.count) bytes, larger than the \(maximumBytes >> 20) MiB read_lines reads",
                                      at: "path", hint: "read_lines is for lists of texts; split the file, or check the path")
            }
            let bytes = file.bytes
            if let nul = bytes.firstIndex(of: 0) {
                throw arguments.error("'\(path)' is not a text file (a NUL byte at offset \(nul))", at: "path",
                                      hint: "read_lines reads UTF-8 text, one entry a line")
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw arguments.error("'\(path)' is not UTF-8 text", at: "path", hint: "save it as UTF-8")
            }
            return text
        }
    }
}
