/// A position in source text: 1-based line and column (in characters), and the character offset
/// from the start of the text.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line number, counted in the whole file (a REPL cell or a script chunk may start
    /// after line 1).
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int
    /// Characters from the start of the text.
    public var offset: Int

    /// Creates a position.
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool { lhs.offset < rhs.offset }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range of source text, `start..<end`.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    /// The first character of the range.
    public var start: SourcePosition
    /// The position just after the last character.
    public var end: SourcePosition

    /// Creates a range from `start` up to (not including) `end`.
    public init(_ start: SourcePosition, _ end: SourcePosition) {
        self.start = start
        self.end = end
    }

    /// The smallest range that covers both `self` and `other`.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    public var description: String { "\(start)" }
}

/// A named piece of source: a script file, a REPL cell or a `-e` statement.
///
/// Keeps the text as characters so ranges can be turned back into lines with a caret under them.
public struct SourceText: Sendable {
    /// The name shown in error messages: a file path, `cell 3` or `-e`.
    public var name: String
    /// The text, as characters.
    public let characters: [Character]
    /// The line number of the first line (1 unless the text is a chunk of a longer input).
    public var firstLine: Int

    /// Creates a source from its text.
    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.characters = Array(text)
        self.firstLine = firstLine
    }

    /// The text of the given range.
    public func text(of range: SourceRange) -> String {
        let lower = max(0, min(range.start.offset, characters.count))
        let upper = max(lower, min(range.end.offset, characters.count))
        return String(characters[lower..<upper])
    }

    /// The whole text of the (file) line `line`, without its newline.
    public func lineText(_ line: Int) -> String {
        var current = firstLine
        var start = 0
        for (index, character) in characters.enumerated() where character == "\n" {
            if current == line { return String(characters[start..<index]) }
            current += 1
            start = index + 1
        }
        return current == line ? String(characters[start...]) : ""
    }

    /// The line of `range.start` with a caret line under the range:
    ///
    ///     let s = sampel m "Baum"
    ///             ^^^^^^
    ///
    /// Tabs in the line are kept in the caret line so the carets stay aligned.
    public func excerpt(for range: SourceRange) -> String {
        let line = Array(lineText(range.start.line))
        let startColumn = max(1, range.start.column)
        let width: Int
        if range.end.line == range.start.line {
            width = max(1, range.end.column - range.start.column)
        } else {
            width = max(1, line.count - startColumn + 1)
        }
        var marker = ""
        for index in 0..<(startColumn - 1) {
            marker.append(index < line.count && line[index] == "\t" ? "\t" : " ")
        }
        marker += String(repeating: "^", count: width)
        return String(line) + "\n" + marker
    }
}
