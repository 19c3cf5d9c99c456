// libFuzzer harness: a text encoder's `tokenizer.json` (WordPiece for BERT, Unigram for T5, with
// their normalizers, pre-tokenizers, post-processors, added tokens and truncation), as
// `PretrainedTextEncoder(folder:)` reads it, and a short text tokenized with what it built.
import Foundation
import TextEncoders

/// Text that reaches every stage: case, accents, punctuation, CJK (split per character by BERT's
/// normalizer), a word longer than WordPiece's default limit, and whitespace of several kinds.
private let text = "Guten Morgen, wie geht's? Ünïcödé ÀÉ 你好 \t naïve-straße 12.5 "
    + String(repeating: "x", count: 120) + " [CLS] </s>"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let tokenizer = try? Tokenizer(json: Data(bytes: data, count: size), file: "fuzz/tokenizer.json") else { return 0 }
    let ids = tokenizer.encode(text, limit: 64)
    // Every id the tokenizer gives must be one it declared.
    for id in ids where !(0..<tokenizer.vocabularySize).contains(id) {
        fatalError("tokenizer gave id \(id) outside its vocabulary of \(tokenizer.vocabularySize)")
    }
    return 0
}
