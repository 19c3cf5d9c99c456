import ArgumentParser
import Foundation
import Platform

/// The texts of `sample --texts FILE`: one text per line (UTF-8, `\n` or `\r\n`), each trimmed of
/// spaces and tabs at both ends. Blank lines are skipped (the command notes how many); a file with
/// no text at all is refused. Each text keeps its line number, which names its output file.
struct TextsFile {
    /// A text and the line it came from (1-based).
    struct Line: Equatable {
        let number: Int
        let text: String
    }

    /// The most texts one file may hold (the lines are read whole before sampling starts).
    static let maximumTexts = 1_000_000

    let lines: [Line]
    /// The blank lines' numbers.
    let blank: [Int]

    /// Reads `path` (``Platform/TextFile``: a regular UTF-8 file of at most 16 MiB with no NUL);
    /// refuses anything else, or a file with no text, with what to do.
    init(path: String) throws {
        let content: String
        do { content = try TextFile.read(path: path) } catch {
            throw ValidationError("--texts \(QuotedText.quoted(path)) \(error.reason); \(error.hint) (one text per line)")
        }
        try self.init(content: content, name: path)
    }

    init(content: String, name: String) throws {
        // "\r\n" is one Character in Swift: made "\n" first, or no line of a CRLF file would split.
        let text = content.replacingOccurrences(of: "\r\n", with: "\n")
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\n") { rows.removeLast() }  // the newline ending the last line
        var lines: [Line] = [], blank: [Int] = []
        for (k, raw) in rows.enumerated() {
            let text = raw.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r"))
            if text.isEmpty { blank.append(k + 1) } else { lines.append(Line(number: k + 1, text: text)) }
        }
        guard !lines.isEmpty else {
            throw ValidationError("--texts \(QuotedText.quoted(name)) has no text (\(content.isEmpty ? "the file is empty" : "only blank lines")); write one text per line")
        }
        guard lines.count <= Self.maximumTexts else {
            throw ValidationError("--texts \(QuotedText.quoted(name)) has \(lines.count) texts; at most \(Self.maximumTexts) per run (split the file)")
        }
        self.lines = lines
        self.blank = blank
    }

    /// `NNNN-slug`: the line number, zero-padded to the widest line number, then the text's ASCII
    /// letters and digits in lower case with every other run of characters as one `-`, at most 40
    /// characters (`text` when none is left). The number keeps names unique; the slug only helps
    /// people find a file, so a name never holds a path separator, a dot or a control character.
    static func fileStem(for line: Line, width: Int) -> String {
        var slug = ""
        for scalar in line.text.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                slug += Character(scalar).lowercased()
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug.append("-")
            }
            if slug.count >= 40 { break }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        let number = String(line.number)
        return String(repeating: "0", count: max(0, width - number.count)) + number + "-" + (slug.isEmpty ? "text" : slug)
    }
}
