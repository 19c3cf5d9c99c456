import Foundation

/// Unigram (SentencePiece, T5): each word is split into the pieces whose scores (log
/// probabilities) sum highest, found by dynamic programming over UTF-8 byte positions as in the
/// tokenizers library; a character no piece starts with is unknown (scored 10 below the lowest
/// piece), and runs of unknown characters become one unknown token.
struct UnigramModel: Sendable {
    /// Piece bytes → id.
    let ids: [[UInt8]: Int]
    let scores: [Double]
    let unknownID: Int
    let byteFallback: Bool
    let longestPiece: Int
    let unknownScore: Double

    static func read(_ json: JSONFields, maxVocabulary: Int) throws(TextEncoderError) -> UnigramModel {
        let vocab = try json.array("vocab")
        guard vocab.count <= maxVocabulary else { throw json.error("vocab", "holds \(vocab.count) pieces, above the limit of \(maxVocabulary)") }
        guard !vocab.isEmpty else { throw json.error("vocab", "is empty") }
        var ids: [[UInt8]: Int] = [:]
        ids.reserveCapacity(vocab.count)
        var scores: [Double] = []
        scores.reserveCapacity(vocab.count)
        var longest = 1
        for (id, entry) in vocab.enumerated() {
            guard let pair = entry as? [Any], pair.count == 2, let piece = pair[0] as? String, let score = (pair[1] as? NSNumberLike)?.realValue, score.isFinite else {
                throw json.error("vocab[\(id)]", "is not a [piece, score] pair with a finite score")
            }
            let bytes = Array(piece.utf8)
            ids[bytes] = id  // a repeated piece keeps its last id, as the tokenizers library does
            scores.append(score)
            longest = max(longest, bytes.count)
        }
        guard let unknownID = try json.optionalInt("unk_id") else {
            throw json.error("unk_id", "is missing: this tool needs the unknown piece of a Unigram vocabulary")
        }
        guard unknownID >= 0 && unknownID < vocab.count else { throw json.error("unk_id", "is \(unknownID), outside the vocabulary of \(vocab.count)") }
        return UnigramModel(ids: ids, scores: scores, unknownID: unknownID, byteFallback: try json.bool("byte_fallback", default: false),
                            longestPiece: longest, unknownScore: (scores.min() ?? 0) - 10)
    }

    func tokenize(_ word: [Unicode.Scalar]) -> [Int] {
        let bytes = Array(String(String.UnicodeScalarView(word)).utf8)
        let n = bytes.count
        guard n > 0 else { return [] }
        var bestScore = [Double](repeating: 0, count: n + 1)
        var bestStart = [Int](repeating: -1, count: n + 1)
        var bestID = [Int](repeating: 0, count: n + 1)
        var start = 0
        while start < n {
            let here = bestScore[start]
            let characterLength = Self.sequenceLength(bytes[start])
            var hasSingleCharacter = false
            var key: [UInt8] = []
            key.reserveCapacity(min(longestPiece, n - start))
            for end in (start + 1)...min(n, start + longestPiece) {
                key.append(bytes[end - 1])
                guard let id = ids[key] else { continue }
                let candidate = scores[id] + here
                if bestStart[end] < 0 || candidate > bestScore[end] {
                    bestScore[end] = candidate; bestStart[end] = start; bestID[end] = id
                }
                if end - start == characterLength { hasSingleCharacter = true }
            }
            let next = min(n, start + characterLength)
            if !hasSingleCharacter {
                let candidate = unknownScore + here
                if bestStart[next] < 0 || candidate > bestScore[next] {
                    bestScore[next] = candidate; bestStart[next] = start; bestID[next] = unknownID
                }
            }
            start = next
        }
        // Back from the end; consecutive unknown pieces are fused into one.
        var pieces: [(bytes: ArraySlice<UInt8>, id: Int)] = []
        var end = n
        var unknownEnd: Int?
        while end > 0 {
            let from = bestStart[end]
            if bestID[end] == unknownID {
                if unknownEnd == nil { unknownEnd = end }
            } else {
                if let u = unknownEnd { pieces.append((bytes[end..<u], unknownID)); unknownEnd = nil }
                pieces.append((bytes[from..<end], bestID[end]))
            }
            end = from
        }
        if let u = unknownEnd { pieces.append((bytes[0..<u], unknownID)) }
        var out: [Int] = []
        for (piece, id) in pieces.reversed() {
            if id != unknownID { out.append(id); continue }
            if let known = ids[Array(piece)] { out.append(known); continue }
            if byteFallback {
                let fallback = piece.map { ids[Array(String(format: "<0x%02X>", $0).utf8)] }
                if fallback.allSatisfy({ $0 != nil }) { out.append(contentsOf: fallback.map { $0! }); continue }
            }
            out.append(unknownID)
        }
        return out
    }

    /// The length of the UTF-8 sequence a lead byte starts (1 for a stray continuation byte).
    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}
