import Foundation
import XCTest
@testable import TextEncoders

/// all-MiniLM-L6-v2 (BERT family, real weights) against the tokenizers library and transformers.
final class BertParityTests: XCTestCase {
    func testMiniLMMatchesTransformersOn200Texts() throws {
        let encoder = try PretrainedTextEncoder(folder: try ReferenceEncoder.miniLMFolder())
        XCTAssertEqual(encoder.family, .bert)
        XCTAssertEqual(encoder.width, 384)
        XCTAssertEqual(encoder.name, "nreimers/MiniLM-L6-H384-uncased")
        let texts = ParityTexts.texts(count: 200)
        XCTAssertEqual(texts.count, 200)
        try ReferenceEncoder.assertParity(encoder, texts: texts)
        // The long texts were cut at the tokenizer's 128 tokens.
        XCTAssertEqual(encoder.tokenize(texts[ParityTexts.handPicked.count + 1]).count, 128)
    }
}
