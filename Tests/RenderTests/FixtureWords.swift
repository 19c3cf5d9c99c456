import Foundation
import PoseData
import XCTest

/// Reads the raw word fixtures written by scripts/export_words_for_render.py (words.json + float32 .bin).
enum FixtureWords {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func load() throws -> [PoseSequence] {
        let header = try Data(contentsOf: directory.appendingPathComponent("words.json"))
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: header) as? [[String: Any]])
        return try entries.map { entry in
            let file = try XCTUnwrap(entry["file"] as? String)
            let frames = try XCTUnwrap(entry["frames"] as? Int)
            let joints = try XCTUnwrap(entry["joints"] as? Int)
            let bytes = try Data(contentsOf: directory.appendingPathComponent(file))
            XCTAssertEqual(bytes.count, frames * joints * 3 * 4, file)
            let values = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            return try PoseSequence(layout: .openPose137, fps: try XCTUnwrap(entry["fps"] as? Double), values: values,
                                    name: entry["name"] as? String, text: entry["text"] as? String,
                                    gloss: entry["gloss"] as? String, signer: entry["signer"] as? String)
        }
    }

    static func word(_ text: String) throws -> PoseSequence {
        try XCTUnwrap(load().first { $0.text == text }, "fixture word \(text)")
    }
}

/// A fresh temporary directory, removed by the test's teardown block.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("render-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// A tiny two-part layout for pixel tests: joints 0–1 are the "body" (one bone), 2 is the "face".
let tinyLayout = Layout(name: "tiny", joints: ["a", "b", "c"],
                        parts: [.init(name: "body", joints: [0, 1]), .init(name: "face", joints: [2])],
                        bones: [.init(0, 1)])

/// A sequence of `tinyLayout` from (x, y, c) triples per frame.
func tinySequence(_ frames: [[(Float, Float, Float)]], fps: Double = 10) throws -> PoseSequence {
    try PoseSequence(layout: tinyLayout, fps: fps, values: frames.flatMap { $0.flatMap { [$0.0, $0.1, $0.2] } }, name: "tiny")
}
