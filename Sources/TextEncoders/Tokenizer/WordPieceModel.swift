/// WordPiece (BERT): each word becomes its longest vocabulary prefix, then the longest
/// continuation (`##…`) of the rest, and so on; a word with a part no piece covers, or longer
/// than `maxInputCharactersPerWord`, becomes the unknown token as a whole.
struct WordPieceModel: Sendable {
    /// Piece (UTF-8 bytes: Swift strings compare canonically equivalent text as equal, the
    /// tokenizers library compares bytes) → id.
    let vocabulary: [[UInt8]: Int]
    let unknownID: Int
    let continuingPrefix: [UInt8]
    let maxInputCharactersPerWord: Int

    static func read(_ json: JSONFields, maxVocabulary: Int) throws(TextEncoderError) -> WordPieceModel {
        let vocabulary = try vocabularyMap(json, maxVocabulary: maxVocabulary)
        let unknown = try json.string("unk_token")
        guard let unknownID = vocabulary[Array(unknown.utf8)] else { throw json.error("unk_token", "is '\(unknown)', which is not in the vocabulary") }
        return WordPieceModel(vocabulary: vocabulary, unknownID: unknownID,
                              continuingPrefix: Array((try json.optionalString("continuing_subword_prefix") ?? "##").utf8),
                              maxInputCharactersPerWord: try json.int("max_input_chars_per_word", in: 1...1_000_000, default: 100))
    }

    /// The `"vocab"` object (piece → id), with every id inside the vocabulary's size.
    static func vocabularyMap(_ json: JSONFields, maxVocabulary: Int) throws(TextEncoderError) -> [[UInt8]: Int] {
        guard let raw = json.object["vocab"] as? [String: Any] else { throw json.error("vocab", "is missing or not an object of piece: id") }
        guard raw.count <= maxVocabulary else { throw json.error("vocab", "holds \(raw.count) pieces, above the limit of \(maxVocabulary)") }
        var map: [[UInt8]: Int] = [:]
        map.reserveCapacity(raw.count)
        for (piece, value) in raw {
            guard let id = (value as? NSNumberLike)?.integerValue, id >= 0, id < maxVocabulary else {
                throw json.error("vocab", "maps '\(piece)' to \(value), not an id in 0..<\(maxVocabulary)")
            }
            map[Array(piece.utf8)] = id
        }
        return map
    }

    func tokenize(_ word: [Unicode.Scalar]) -> [Int] {
        if word.count > maxInputCharactersPerWord { return [unknownID] }
        // Byte offset of each scalar, so a piece is a slice of the word's UTF-8.
        let bytes = Array(String(String.UnicodeScalarView(word)).utf8)
        var offsets = [0]
        for c in word { offsets.append(offsets.last! + UTF8.width(c)) }
        var out: [Int] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int?
            while start < end {
                let slice = bytes[offsets[start]..<offsets[end]]
                let piece = start > 0 ? continuingPrefix + slice : Array(slice)
                if let id = vocabulary[piece] { found = id; break }
                end -= 1
            }
            guard let id = found else { return [unknownID] }
            out.append(id)
            start = end
        }
        return out
    }
}
