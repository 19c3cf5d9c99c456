import Foundation
import Tensors
import TestSupport
import XCTest
@testable import TextEncoders

/// Bad folders and files: each is an error that names the file and field, never a crash; sizes a
/// file declares are checked against ceilings; float16/bfloat16 weights load.
final class EncoderFolderErrorTests: XCTestCase {
    let t5 = ReferenceEncoder.fixtures.appendingPathComponent("t5-v1_0")

    /// A copy of the tiny T5 folder in a temporary directory, with `edit` applied to its files.
    func editedFolder(_ edit: (URL) throws -> Void) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("textenc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        for file in ["config.json", "tokenizer.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: t5.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        try edit(folder)
        return folder
    }

    func editJSON(_ url: URL, _ change: (inout [String: Any]) -> Void) throws {
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    func assertError(_ folder: URL, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PretrainedTextEncoder(folder: folder), file: file, line: line) { error in
            let text = "\(error)"
            for part in parts { XCTAssertTrue(text.contains(part), "'\(part)' not in: \(text)", file: file, line: line) }
        }
    }

    func testMissingFolderAndFiles() throws {
        assertError(URL(fileURLWithPath: "/nonexistent/t5-base"), contains: ["/nonexistent/t5-base does not exist", "config.json, tokenizer.json and model.safetensors"])
        assertError(try editedFolder { try FileManager.default.removeItem(at: $0.appendingPathComponent("model.safetensors")) },
                    contains: ["model.safetensors does not exist", "safe_serialization"])
        assertError(try editedFolder { try FileManager.default.removeItem(at: $0.appendingPathComponent("tokenizer.json")) },
                    contains: ["tokenizer.json cannot be read"])
    }

    func testUnsupportedTypesNameTheField() throws {
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("config.json")) { $0["model_type"] = "gpt2" } },
                    contains: ["config.json: field 'model_type' is 'gpt2'", "supported: t5"])
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("config.json")) { $0["feed_forward_proj"] = "gated-mish" } },
                    contains: ["field 'feed_forward_proj' is 'gated-mish'"])
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("tokenizer.json")) { json in
            var model = json["model"] as! [String: Any]
            model["type"] = "BPE"
            json["model"] = model
        } }, contains: ["tokenizer.json: field 'model.type' is 'BPE'", "supported: WordPiece for BERT, Unigram for T5"])
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("tokenizer.json")) { $0["pre_tokenizer"] = ["type": "ByteLevel"] } },
                    contains: ["field 'pre_tokenizer.type' is 'ByteLevel'"])
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("tokenizer.json")) { $0["normalizer"] = ["type": "Sequence", "normalizers": [["type": "NFKC"], ["type": "Mystery"]]] } },
                    contains: ["field 'normalizer.normalizers[1].type' is 'Mystery'"])
    }

    func testDeclaredSizesHaveCeilings() throws {
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("config.json")) { $0["d_model"] = 1 << 40 } },
                    contains: ["field 'd_model' is 1099511627776, outside the supported range 1...8192"])
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("config.json")) { $0["num_layers"] = 100_000 } },
                    contains: ["field 'num_layers'", "1...128"])
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("config.json")) { $0["vocab_size"] = 5_000_000 } },
                    contains: ["field 'vocab_size'", "1...1000000"])
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("config.json")) { $0["d_model"] = 128 } },
                    contains: ["has shape [", "but config.json implies"])
        assertError(try editedFolder { try editJSON($0.appendingPathComponent("tokenizer.json")) { json in
            var added = json["added_tokens"] as! [[String: Any]]
            added.append(["id": 900, "content": "<extra>", "special": true])
            json["added_tokens"] = added
        } }, contains: ["tokenizer.json has ids up to 900", "vocab_size is 500", "belong to different models"])
    }

    func testDamagedFilesAreErrors() throws {
        assertError(try editedFolder { try Data("{not json".utf8).write(to: $0.appendingPathComponent("tokenizer.json")) },
                    contains: ["tokenizer.json is not valid JSON"])
        assertError(try editedFolder { url in
            let weights = url.appendingPathComponent("model.safetensors")
            let data = try Data(contentsOf: weights)
            try data.prefix(data.count / 2).write(to: weights)
        }, contains: ["model.safetensors"])
    }

    /// Random byte changes to tokenizer.json and config.json load or fail with an error, never trap.
    func testMutatedFilesNeverCrash() throws {
        var rng = RandomGenerator(seed: 14)
        let tokenizer = try Data(contentsOf: t5.appendingPathComponent("tokenizer.json"))
        let config = try Data(contentsOf: t5.appendingPathComponent("config.json"))
        for round in 0..<60 {
            var bytes = round % 2 == 0 ? tokenizer : config
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            if round % 2 == 0 {
                if let tokenizer = try? Tokenizer(json: bytes, file: "mutated.json") {
                    _ = tokenizer.encode("Über die Brücke gehen 12 Äpfel! 👋")
                }
            } else {
                let folder = try editedFolder { try bytes.write(to: $0.appendingPathComponent("config.json")) }
                if let encoder = try? PretrainedTextEncoder(folder: folder) { _ = encoder.encode("Hallo Welt") }
            }
        }
    }

    /// float16 and bfloat16 weights (converted by PyTorch) load, and match transformers on them.
    func testHalfPrecisionWeightsLoad() throws {
        for dtype in ["float16", "bfloat16"] {
            let folder = try editedFolder { folder in
                try PythonReference.run("""
                import sys, torch
                from safetensors.torch import load_file, save_file
                path = sys.argv[1] + "/model.safetensors"
                save_file({k: v.to(getattr(torch, sys.argv[2])) for k, v in load_file(path).items()}, path, metadata={"format": "pt"})
                """, arguments: [folder.path, dtype])
            }
            let encoder = try PretrainedTextEncoder(folder: folder)
            try ReferenceEncoder.assertParity(encoder, texts: ["Guten Morgen!", "The weather is cold.", ""])
        }
    }

    /// The twin computes the same weights hash (numpy) as Swift.
    func testWeightsHashAgreesWithTheTwin() throws {
        let path = t5.appendingPathComponent("model.safetensors").path
        let output = try PythonReference.run("import sys; from hybridsign_torch.pretrained_text import weights_hash; print(weights_hash(sys.argv[1]))",
                                             arguments: [path])
        XCTAssertEqual(try WeightsHash.of(fileAt: path), String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        // One changed bit changes it; every tail length is covered.
        var bytes = [UInt8](repeating: 7, count: 37)
        let base = bytes.withUnsafeBytes { WeightsHash.of($0) }
        bytes[20] ^= 1
        XCTAssertNotEqual(bytes.withUnsafeBytes { WeightsHash.of($0) }, base)
        XCTAssertNotEqual(bytes.prefix(36).withUnsafeBytes { WeightsHash.of(UnsafeRawBufferPointer($0)) }, base)
    }

    func testCacheReturnsTheSameEncodingOnce() throws {
        let encoder = try PretrainedTextEncoder(folder: t5)
        let first = encoder.encode("Der Lehrer liest.")
        XCTAssertEqual(encoder.cachedTexts, 1)
        XCTAssertEqual(encoder.encode("Der Lehrer liest."), first)
        XCTAssertEqual(encoder.cachedTexts, 1)
        // Canonically equivalent but different scalars are different keys (the tokenizer may differ).
        _ = encoder.encode("Cafe\u{301}")
        _ = encoder.encode("Caf\u{E9}")
        XCTAssertEqual(encoder.cachedTexts, 3)
        XCTAssertEqual(encoder.encode(ids: first.ids), first)
    }
}
