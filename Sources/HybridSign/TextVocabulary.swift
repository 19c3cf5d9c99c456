import Platform

/// The units (characters or words) the built-in text encoder knows, fixed from the training texts.
///
/// Id 0 is padding; known units get ids 1...count in sorted order. A character the vocabulary
/// lacks falls back to its other case when only that one is known (fingerspelling has no case:
/// `Xylofon` works when only `x` was seen); anything else is an error listing what is supported.
public struct TextVocabulary: Sendable, Equatable, Codable {
    /// Whether units are characters or whitespace-separated words.
    public var unit: Unit
    /// The known units, sorted; unit `units[k]` has id `k + 1`.
    public var units: [String]

    /// The kind of unit.
    public enum Unit: String, Sendable, Codable { case characters, words }

    /// Creates a vocabulary from its units (sorted and deduplicated here).
    public init(unit: Unit, units: [String]) {
        self.unit = unit
        self.units = Array(Set(units)).sorted()
    }

    /// The vocabulary of `texts`.
    public init(unit: Unit, fitting texts: [String]) {
        let pieces = texts.flatMap { Self.split($0, unit: unit) }
        self.init(unit: unit, units: pieces)
    }

    /// Ids including padding (0).
    public var size: Int { units.count + 1 }

    private static func split(_ text: String, unit: Unit) -> [String] {
        switch unit {
        case .characters: return text.map { String($0) }
        case .words: return text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        }
    }

    /// The ids of `text` (no padding); throws when a unit is unknown even after the case fallback,
    /// or when the text is empty.
    public func encode(_ text: String) throws(HybridSignError) -> [Int] {
        let pieces = Self.split(text, unit: unit)
        guard !pieces.isEmpty else { throw HybridSignError.unsupportedText("the text is empty; give at least one \(unit == .characters ? "character" : "word")") }
        let index = idsByUnit
        var ids: [Int] = []
        var unknown: [String] = []
        for piece in pieces {
            if let id = Self.id(of: piece, in: index) {
                ids.append(id)
            } else if !unknown.contains(piece) {
                unknown.append(piece)
            }
        }
        guard unknown.isEmpty else {
            let what = unit == .characters ? "characters" : "words"
            let shown = unknown.map { QuotedText.quoted($0) }.joined(separator: ", ")
            let accepted = acceptedUnits
            let supported = unit == .characters ? accepted.joined() : accepted.prefix(50).joined(separator: " ") + (accepted.count > 50 ? " …" : "")
            throw HybridSignError.unsupportedText(
                "the model does not know the \(what) \(shown) in \(QuotedText.quoted(text)); it supports: \(QuotedText.safe(supported, limit: 400))")
        }
        return ids
    }

    /// Every unit `encode` accepts: the known ones and, through the case fallback, their other
    /// case (`X` when `x` is known), sorted.
    public var acceptedUnits: [String] {
        var accepted = Set(units)
        for unit in units {
            accepted.insert(unit.lowercased())
            accepted.insert(unit.uppercased())
        }
        // Upper-casing may make a longer string (ß → SS), which is no single character to accept.
        return accepted.filter { self.unit == .words || $0.count == 1 }.sorted()
    }

    /// Where the first unit `encode` cannot read starts, in characters from the start of `text`,
    /// with its length in characters; nil when every unit is known.
    public func firstUnknownUnit(in text: String) -> (offset: Int, length: Int)? {
        let index = idsByUnit
        var offset = 0
        switch unit {
        case .characters:
            for character in text {
                if Self.id(of: String(character), in: index) == nil { return (offset, 1) }
                offset += 1
            }
        case .words:
            var word = ""
            for character in text + " " {
                if character.isWhitespace {
                    if !word.isEmpty, Self.id(of: word, in: index) == nil { return (offset - word.count, word.count) }
                    word = ""
                } else {
                    word.append(character)
                }
                offset += 1
            }
        }
        return nil
    }

    private var idsByUnit: [String: Int] {
        var index: [String: Int] = [:]
        for (k, u) in units.enumerated() { index[u] = k + 1 }
        return index
    }

    /// The id of `piece`, falling back to its other case when only that one is known.
    private static func id(of piece: String, in index: [String: Int]) -> Int? {
        index[piece] ?? index[piece.lowercased()] ?? index[piece.uppercased()]
    }
}
