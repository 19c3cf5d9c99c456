import Foundation
import XCTest
@testable import TextEncoders

/// Tiny random T5 encoders (Fixtures/t5-v1_0, t5-v1_1, made by `reference.py make-t5`) against
/// transformers' T5EncoderModel and the tokenizers library.
///
/// v1.0: ReLU feed-forward, a Unigram tokenizer trained by the tokenizers library (NFKC,
/// WhitespaceSplit + Metaspace). v1.1: gated GELU, a Unigram tokenizer trained by SentencePiece and
/// converted the way Hugging Face ships T5's (Precompiled normaliser, Metaspace prepending "first").
final class T5ParityTests: XCTestCase {
    func testT5Version1_0MatchesTransformers() throws {
        let encoder = try PretrainedTextEncoder(folder: ReferenceEncoder.fixtures.appendingPathComponent("t5-v1_0"))
        XCTAssertEqual(encoder.family, .t5)
        XCTAssertEqual(encoder.width, 64)
        try ReferenceEncoder.assertParity(encoder, texts: ParityTexts.texts(count: 120))
    }

    func testT5Version1_1MatchesTransformers() throws {
        let encoder = try PretrainedTextEncoder(folder: ReferenceEncoder.fixtures.appendingPathComponent("t5-v1_1"))
        guard case let .t5(network) = encoder.network else { return XCTFail("not a T5 encoder") }
        XCTAssertTrue(network.gated, "v1.1 has a gated feed-forward")
        try ReferenceEncoder.assertParity(encoder, texts: ParityTexts.texts(count: 120))
    }

    /// A wider random T5 (RandomT5Folder: d_model 256, d_ff 1024, two layers), whose products are
    /// large enough to be split over the cores (the tiny fixtures' are not), against transformers.
    func testWiderRandomT5WithSplitProductsMatchesTransformers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("t5-wide-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var shape = RandomT5Folder.Shape()
        (shape.width, shape.layers, shape.heads, shape.headWidth, shape.feedForward, shape.vocabulary) = (256, 2, 4, 64, 1024, 1024)
        try RandomT5Folder.write(to: folder, shape: shape, seed: 3)
        let encoder = try PretrainedTextEncoder(folder: folder)
        let tokens = encoder.tokenize("The weather is cold and rainy in the north today, but warm in the south.").count
        XCTAssertGreaterThanOrEqual(tokens * 3 * 256 * 256, EncoderMath.parallelWork, "the query-key-value product is split")
        let words = RandomT5Folder.words
        let texts = (0..<12).map { i in (0..<(4 + i * 3)).map { words[(i * 7 + $0 * 13) % words.count] }.joined(separator: " ") + "." }
        try ReferenceEncoder.assertParity(encoder, texts: texts)
    }

    /// Hugging Face's buckets for t5-base's 32 buckets and distance 128 (from
    /// `T5Attention._relative_position_bucket`), including the log-spaced far range and its cap.
    func testRelativePositionBuckets() {
        let expected: [Int: Int] = [0: 0, 1: 17, -1: 1, 7: 23, -7: 7, 8: 24, -8: 8, 12: 25, 16: 26, -16: 10, 32: 28, 64: 30, 127: 31, 500: 31, -500: 15]
        for (distance, bucket) in expected {
            XCTAssertEqual(T5Encoder.bucket(distance: distance, bucketCount: 32, maxDistance: 128), bucket, "distance \(distance)")
        }
    }
}
