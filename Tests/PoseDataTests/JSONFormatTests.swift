import Foundation
import XCTest
@testable import PoseData

/// Layout JSON and dataset JSON: round trips, order, Python-written input and errors.
final class JSONFormatTests: XCTestCase {
    func testLayoutRoundTripKeepsPartOrder() throws {
        // Parts in an order no dictionary would keep: z before a.
        var layout = TestData.tinyLayout
        layout.parts = [.init(name: "z_part", joints: [2, 3]), .init(name: "a_part", joints: [0, 1])]
        let text = layout.jsonString()
        XCTAssertTrue(text.contains("\"parts\": {"), text)
        let back = try Layout(json: text)
        XCTAssertEqual(back, layout)
        XCTAssertEqual(try Layout(json: Layout.openPose137.jsonString()), .openPose137)
    }

    func testLayoutFileRoundTrip() throws {
        let url = try TestData.temporaryDirectory(self).appendingPathComponent("layout.json")
        try Layout.openPose137.write(to: url)
        XCTAssertEqual(try Layout(contentsOf: url), .openPose137)
    }

    func testLayoutAcceptsPartsAsArray() throws {
        let layout = try Layout(json: """
            {"name": "two", "joints": ["p", "q"], "parts": [{"name": "one", "joints": [1]}, {"name": "other", "joints": [0]}],
             "bones": [[0, 1]]}
            """)
        XCTAssertEqual(layout.parts.map(\.name), ["one", "other"])
        XCTAssertEqual(layout.parts.map(\.joints), [[1], [0]])
    }

    func testLayoutErrorsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            (#"{"name": "x", "joints": ["a"], "parts": {"p": [0, 1]}}"#, "names joint 1"),
            (#"{"name": "x", "joints": ["a", "b"], "parts": {"p": [0]}}"#, "belongs to no part"),
            (#"{"name": "x", "joints": ["a"], "parts": {"p": [0.5]}}"#, "must be a joint index"),
            (#"{"name": "x", "joints": ["a"], "parts": {"p": [0]}, "bones": [[0]]}"#, "must be a pair"),
            (#"{"name": "x", "joints": ["a"]}"#, "\"parts\" is missing"),
            (#"{"name": 3, "joints": ["a"], "parts": {"p": [0]}}"#, "\"name\" must be a string"),
            (#"{"name": "x", "joints": ["a"], "parts": {"p": [0]}"#, "ends early"),
            (#"{"name": "x", "joints": ["a"], "parts": {"p": [0]}} extra"#, "expected the end"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try Layout(json: text), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(text): \(error)")
            }
        }
    }

    func testDatasetRoundTripIsLossless() throws {
        var first = try TestData.sequence(frames: 3, fps: 12.5, name: "one", missing: { t, j in t == 2 && j == 0 })
        first.text = "Über \"quoted\"\n\\ 手話"
        first.gloss = "A B"
        first.signer = "gsg"
        // Values that stress the float formatter: tiny, huge, negative zero, many digits.
        first.values[0] = 1e-38
        first.values[1] = -3.4028235e38
        first.values[3] = -0.0
        first.values[4] = 0.1
        first.values[6] = 123.456789
        first.values[7] = Float(bitPattern: 1)  // the smallest subnormal
        first.textFeatures = try TextFeatures(rows: 2, width: 3, values: [1, -2.5, 3e-7, 4, 5.25, 6])
        let second = try TestData.sequence(frames: 0, fps: 30)
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: [first, second])
        let url = try TestData.temporaryDirectory(self).appendingPathComponent("data.json")
        try dataset.writeJSON(to: url)
        let back = try PoseDataset(jsonContentsOf: url)
        XCTAssertEqual(back, dataset)
        XCTAssertEqual(back[0].values.map(\.bitPattern).enumerated().filter { $0.offset != 3 }.map(\.element),
                       first.values.map(\.bitPattern).enumerated().filter { $0.offset != 3 }.map(\.element))
        // Foundation's parser agrees that it is JSON.
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(contentsOf: url)))
    }

    func testEmptyDatasetRoundTrip() throws {
        let empty = try PoseDataset(layout: .openPose137, samples: [])
        XCTAssertEqual(try PoseDataset(jsonBytes: try empty.jsonBytes()), empty)
    }

    func testRandomFloatsSurviveExportAndImport() throws {
        var generator = SeededGenerator(seed: 11)
        var values: [Float] = []
        for i in 0..<(500 * 4 * 3) {
            let bits = UInt32(truncatingIfNeeded: generator.next())
            var value = Float(bitPattern: bits)
            if !value.isFinite { value = Float(i) * 0.37 }
            values.append(i % 3 == 2 ? Float(generator.below(1000)) / 999 : value)
        }
        let sequence = try PoseSequence(layout: TestData.tinyLayout, fps: 25, values: values)
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: [sequence])
        let back = try PoseDataset(jsonBytes: try dataset.jsonBytes())
        XCTAssertEqual(back[0].values.map(\.bitPattern), values.map { $0 == 0 ? 0 : $0.bitPattern })
    }

    func testReadsPythonWrittenDataset() throws {
        let dataset = try PoseDataset(jsonContentsOf: TestData.fixture("normalization-dataset.json"))
        XCTAssertEqual(dataset.count, 4)
        XCTAssertEqual(dataset.layout.parts.map(\.name), ["upper", "hand"])
        XCTAssertEqual(dataset[3].text, "Über")
        XCTAssertNil(dataset[0].gloss)
        XCTAssertEqual(dataset[2].fps, 12.5)
        XCTAssertEqual(dataset.samples.map(\.frameCount), [5, 9, 3, 7])
    }

    func testMalformedDatasetsAreRejectedWithPlace() {
        let layout = #"{"name": "one", "joints": ["a"], "parts": {"p": [0]}}"#
        let cases: [(String, String)] = [
            (#"{"samples": []}"#, "no \"layout\""),
            (#"{"layout": \#(layout)}"#, "no \"samples\""),
            (#"{"layout": \#(layout), "samples": [{"frames": [[[1, 2, 3]]]}]}"#, "no \"fps\""),
            (#"{"layout": \#(layout), "samples": [{"fps": 25}]}"#, "no \"frames\""),
            (#"{"layout": \#(layout), "samples": [{"fps": 0, "frames": []}]}"#, "fps 0 is outside 0.001...100000"),
            (#"{"layout": \#(layout), "samples": [{"fps": 25, "frames": [[[1, 2]]]}]}"#, "between y and confidence"),
            (#"{"layout": \#(layout), "samples": [{"fps": 25, "frames": [[[1, 2, 3], [4, 5, 6]]]}]}"#, "has 2 joints per frame"),
            (#"{"layout": \#(layout), "samples": [{"fps": 25, "frames": [[[1, 2, 3]], []]}]}"#, "frame 1 of sample 0 has 0 joints"),
            (#"{"layout": \#(layout), "samples": [{"fps": 25, "frames": [[[1, 2, NaN]]]}]}"#, "expected a value"),
            (#"{"layout": \#(layout), "samples": [{"fps": 25, "frames": [[[1, 2, 1e39]]]}]}"#, "out of the range"),
            (#"{"layout": \#(layout), "samples": [{"fps": 25, "frames": [[[01, 2, 3]]]}]}"#, "leading zeros"),
            (#"{"layout": \#(layout), "samples": [{"fps": 25, "name": 4, "frames": []}]}"#, "a string or null"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try PoseDataset(jsonBytes: Array(text.utf8), file: "d.json"), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(text): \(error)")
            }
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        XCTAssertThrowsError(try Layout(json: text)) { error in
            XCTAssertTrue("\(error)".contains("nested deeper"), "\(error)")
        }
    }

    func testLayoutMayFollowSamples() throws {
        let text = #"{"samples": [{"fps": 25, "frames": [[[1, 2, 0.5]]]}], "layout": {"name": "one", "joints": ["a"], "parts": {"p": [0]}}}"#
        let dataset = try PoseDataset(jsonBytes: Array(text.utf8))
        XCTAssertEqual(dataset[0].values, [1, 2, 0.5])
    }

    func testNonFiniteValuesCannotBeExported() throws {
        var sequence = try TestData.sequence(frames: 2)
        sequence.values[5] = .nan
        let dataset = try PoseDataset(layout: TestData.tinyLayout, samples: [sequence])
        XCTAssertThrowsError(try dataset.jsonBytes()) { error in
            XCTAssertTrue("\(error)".contains("frame 0, joint 1, channel 2"), "\(error)")
        }
        XCTAssertThrowsError(try PoseFile(sequence: sequence)) { error in
            XCTAssertTrue("\(error)".contains("frame 0, joint 1, channel 2"), "\(error)")
        }
    }
}
