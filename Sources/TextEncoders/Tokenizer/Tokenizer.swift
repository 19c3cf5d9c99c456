import Foundation
import Platform

/// A tokenizer read from a Hugging Face `tokenizer.json`: added (special) tokens, normaliser,
/// pre-tokeniser, a WordPiece or Unigram model, truncation and the special tokens around the
/// text, run the way the tokenizers library runs them, so the ids are the same.
///
/// Padding is not applied (one text is encoded at a time). Added tokens are found in the raw text.
public struct Tokenizer: Sendable {
    enum Model: Sendable {
        case wordPiece(WordPieceModel)
        case unigram(UnigramModel)
    }

    struct AddedToken: Sendable {
        let content: [Unicode.Scalar]
        let id: Int
        let stripsLeft: Bool
        let stripsRight: Bool
    }

    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: Model
    let postProcessor: PostProcessor
    let addedTokens: [AddedToken]
    /// Longest encoding, special tokens included, from `truncation.max_length`.
    let truncationLength: Int?
    let truncatesLeft: Bool
    /// The number of ids the vocabulary holds (the model's pieces and the added tokens).
    public let vocabularySize: Int

    /// Largest `tokenizer.json` read (mT5's is 16 MB).
    public static let maxFileBytes = 256 << 20
    /// Largest vocabulary accepted (mT5 has 250,112 pieces).
    public static let maxVocabulary = 1_000_000

    /// Reads `tokenizer.json` at `url`.
    public init(contentsOf url: URL) throws(TextEncoderError) {
        let data = try Self.readFile(url, limit: Self.maxFileBytes)
        try self.init(json: data, file: url.path)
    }

    /// Parses the bytes of a `tokenizer.json`; `file` names it in errors.
    public init(json data: Data, file: String) throws(TextEncoderError) {
        let json = try JSONFields.parse(data, file: file)
        let modelJSON = try json.object("model")
        let type = try modelJSON.optionalString("type") ?? ""
        switch type {
        case "WordPiece": model = .wordPiece(try WordPieceModel.read(modelJSON, maxVocabulary: Self.maxVocabulary))
        case "Unigram": model = .unigram(try UnigramModel.read(modelJSON, maxVocabulary: Self.maxVocabulary))
        default:
            throw modelJSON.error("type", "is '\(type)', a tokenizer model this tool does not support (supported: WordPiece for BERT, Unigram for T5)")
        }
        normalizer = try json.optionalObject("normalizer").map(Normalizer.read)
        preTokenizer = try json.optionalObject("pre_tokenizer").map(PreTokenizer.read)
        var added: [AddedToken] = []
        var largestID = -1
        switch model {
        case let .wordPiece(m): largestID = m.vocabulary.values.max() ?? -1
        case let .unigram(m): largestID = m.scores.count - 1
        }
        if json.has("added_tokens") {
            for token in try json.objects("added_tokens") {
                let id = try token.int("id", in: 0...(Self.maxVocabulary - 1))
                let content = try token.string("content")
                guard !content.isEmpty else { throw token.error("content", "is empty") }
                added.append(AddedToken(content: Array(content.unicodeScalars), id: id,
                                        stripsLeft: try token.bool("lstrip", default: false), stripsRight: try token.bool("rstrip", default: false)))
                largestID = max(largestID, id)
            }
        }
        // Longest first, so that of two tokens starting at one place the longer wins.
        addedTokens = added.sorted { $0.content.count > $1.content.count }
        vocabularySize = largestID + 1
        postProcessor = try PostProcessor.read(json.optionalObject("post_processor"), vocabularySize: vocabularySize)
        if let truncation = try json.optionalObject("truncation") {
            truncationLength = try truncation.int("max_length", in: postProcessor.addedCount + 1...1_000_000)
            truncatesLeft = try truncation.optionalString("direction") == "Left"
        } else {
            truncationLength = nil
            truncatesLeft = false
        }
    }

    /// The ids of `text`, special tokens included, at most `limit` of them (the model's longest
    /// input; the text's end is dropped, as the tokenizer's own truncation does).
    public func encode(_ text: String, limit: Int? = nil) -> [Int] {
        var ids: [Int] = []
        for (index, segment) in split(Array(text.unicodeScalars)).enumerated() {
            switch segment {
            case let .added(id): ids.append(id)
            case let .text(scalars):
                let normalized = normalizer?.apply(scalars) ?? scalars
                if normalized.isEmpty { continue }
                var words = [normalized]
                if let preTokenizer { words = preTokenizer.split(words, isFirstSegment: index == 0) }
                for word in words where !word.isEmpty {
                    switch model {
                    case let .wordPiece(m): ids.append(contentsOf: m.tokenize(word))
                    case let .unigram(m): ids.append(contentsOf: m.tokenize(word))
                    }
                }
            }
        }
        let longest = [truncationLength, limit].compactMap { $0 }.min().map { max(0, $0 - postProcessor.addedCount) }
        if let longest, ids.count > longest {
            ids = truncatesLeft ? Array(ids.suffix(longest)) : Array(ids.prefix(longest))
        }
        return postProcessor.apply(ids)
    }

    enum Segment {
        case text([Unicode.Scalar])
        case added(Int)
    }

    /// Cuts the raw text at the added tokens it contains (leftmost, then longest), stripping the
    /// whitespace beside those that ask for it.
    func split(_ text: [Unicode.Scalar]) -> [Segment] {
        guard !addedTokens.isEmpty else { return [.text(text)] }
        var segments: [Segment] = []
        var pending: [Unicode.Scalar] = []
        var i = 0
        var skipWhitespace = false
        while i < text.count {
            if skipWhitespace && UnicodeClasses.isWhitespace(text[i]) { i += 1; continue }
            skipWhitespace = false
            if let token = addedTokens.first(where: { i + $0.content.count <= text.count && text[i] == $0.content[0] && Array(text[i..<(i + $0.content.count)]) == $0.content }) {
                if token.stripsLeft { while let last = pending.last, UnicodeClasses.isWhitespace(last) { pending.removeLast() } }
                if !pending.isEmpty { segments.append(.text(pending)); pending = [] }
                segments.append(.added(token.id))
                i += token.content.count
                skipWhitespace = token.stripsRight
                continue
            }
            pending.append(text[i])
            i += 1
        }
        if !pending.isEmpty { segments.append(.text(pending)) }
        return segments
    }

    /// The bytes of a file no larger than `limit`, or an error naming it. Mapped, not read with
    /// `Data(contentsOf:)`, which leaks 4 KiB on every empty file (found by the fuzzer).
    static func readFile(_ url: URL, limit: Int) throws(TextEncoderError) -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TextEncoderError("\(url.path) cannot be read: no such file (a text encoder folder holds config.json, tokenizer.json and model.safetensors)")
        }
        let file: MappedFile
        do { file = try MappedFile(path: url.path) } catch { throw TextEncoderError("\(url.path) cannot be read: \(error.reason)") }
        guard file.count <= limit else { throw TextEncoderError("\(url.path) is \(file.count) bytes, above the limit of \(limit) for this file") }
        return withExtendedLifetime(file) { Data(file.bytes) }
    }
}
