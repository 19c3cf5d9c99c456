import Foundation
import TestSupport
import XCTest
@testable import PoseData

/// The dataset layer: samples from the value tree, its errors, and the writer.
final class PickleDatasetTests: XCTestCase {
    private let layout = Layout.generic(jointCount: 2)

    private func sequence(_ values: [Float], name: String? = "s", features: TextFeatures? = nil) throws -> PoseSequence {
        try PoseSequence(layout: layout, fps: 12.5, values: values, name: name, text: "Baum", gloss: "B A U M",
                         signer: "gsg", textFeatures: features)
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pickle-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testWriteThenReadGivesTheSameDataset() throws {
        let features = try TextFeatures(rows: 2, width: 3, values: [1, 2, 3, 4, 5, 6])
        let dataset = try PoseDataset(layout: layout, samples: [
            try sequence((0..<12).map { Float($0) * 0.5 }, name: "a", features: features),
            // Negative coordinates; confidences are never negative (the reader refuses them).
            try sequence((0..<6).map { $0 % 3 == 2 ? Float($0) : -Float($0) }, name: nil),
        ])
        let url = try temporaryDirectory().appendingPathComponent("out.pkl")
        try PickleDataset.write(dataset, to: url)
        let read = try PickleDataset.load(contentsOf: url, layout: layout)
        XCTAssertEqual(read, dataset)
        // The writer leaves no temporary files behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path), ["out.pkl"])
    }

    func testWrittenFileLoadsInPythonWithNumpyAndNoWarning() throws {
        let dataset = try PickleDataset.load(contentsOf: PickleTestSupport.fixture("authors-torch-cut.pkl"))
        let url = try temporaryDirectory().appendingPathComponent("seed.pkl")
        try PickleDataset.write(dataset, to: url)
        let script = """
        import pickle, warnings, numpy
        warnings.simplefilter("error")
        with open(\(String(reflecting: url.path)), "rb") as file:
            data = pickle.load(file)
        pose, sentence = data[0]["pose"], data[0]["sentence"]
        assert pose.dtype == numpy.float32 and pose.shape == (6, 137, 3), (pose.dtype, pose.shape)
        assert sentence.shape == (1, 3, 768) and data[1]["fps"] == 25.0
        print(round(float(pose.astype(numpy.float64).sum()), 3))
        """
        let text = String(decoding: try PythonReference.run(script), as: UTF8.self)
        let expected = dataset[0].values.reduce(0.0) { $0 + Double($1) }
        XCTAssertEqual(Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan, expected, accuracy: 1e-2, text)
    }

    func testNonFiniteKeypointsNameSampleFrameAndJoint() throws {
        var values = [Float](repeating: 1, count: 12)
        values[9] = .nan  // frame 1, joint 1, x
        let bytes = PickleDataset.encode(try PoseDataset(layout: layout, samples: [try sequence(values, name: "bad")]))
        XCTAssertThrowsError(try PickleDataset.decode(bytes, name: "x.pkl")) { error in
            XCTAssertTrue("\(error)".contains("x.pkl: sample 0 ('bad'), frame 1, joint 1 ('joint_1'): x is nan"), "\(error)")
        }
    }

    func testMissingKeypointsListTheKeys() throws {
        // [{'name': 'n', 'text': 't'}]
        var bytes: [UInt8] = [0x80, 4, 0x5D, 0x7D, 0x28]
        for text in ["name", "n", "text", "t"] { bytes += [0x8C, UInt8(text.utf8.count)] + Array(text.utf8) }
        bytes += [0x75, 0x61, 0x2E]
        XCTAssertThrowsError(try PickleDataset.decode(bytes, name: "k.pkl")) { error in
            XCTAssertTrue("\(error)".contains("sample 0 ('n') has no keypoints under keypoints, pose, skeleton; its keys are: name, text"), "\(error)")
        }
    }

    func testWrongTopLevelAndShapesAreExplained() throws {
        XCTAssertThrowsError(try PickleDataset.decode([0x80, 2, 0x4B, 1, 0x2E], name: "i.pkl")) { error in
            XCTAssertTrue("\(error)".contains("holds a int; expected a list of samples"), "\(error)")
        }
        // [{'pose': [[1.0, 2.0]]}]: 2 numbers per frame is not J × 3.
        var bytes: [UInt8] = [0x80, 4, 0x5D, 0x7D, 0x8C, 4] + Array("pose".utf8) + [0x5D, 0x5D]
        bytes += [0x47, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x61, 0x47, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x61, 0x61, 0x73, 0x61, 0x2E]
        XCTAssertThrowsError(try PickleDataset.decode(bytes, name: "s.pkl")) { error in
            XCTAssertTrue("\(error)".contains("has shape [1, 2]; expected (T, J, 3) or (T, J·3)"), "\(error)")
        }
    }

    func testABareSampleDictIsADatasetOfOne() throws {
        // {'pose': [[1.0, 2.0, 3.0]]}: one frame of one joint, (T, J·3) nested lists.
        var bytes: [UInt8] = [0x80, 4, 0x7D, 0x28, 0x8C, 4] + Array("pose".utf8) + [0x5D, 0x5D]
        for (high, next) in [(0x3F, 0xF0), (0x40, 0x00), (0x40, 0x08)] as [(UInt8, UInt8)] {  // BINFLOAT 1.0, 2.0, 3.0
            bytes += [0x47, high, next, 0, 0, 0, 0, 0, 0, 0x61]
        }
        bytes += [0x61, 0x75, 0x2E]
        let dataset = try PickleDataset.decode(bytes, name: "one.pkl")
        XCTAssertEqual(dataset.count, 1)
        XCTAssertEqual(dataset.layout, .generic(jointCount: 1))
        XCTAssertEqual(dataset[0].values, [1, 2, 3])
        XCTAssertEqual(dataset[0].fps, 25)
    }

    func testTruncatedGzipIsAnError() throws {
        let bytes = try PickleTestSupport.bytes(PickleTestSupport.fixture("protocol4.pkl.gz"))
        XCTAssertThrowsError(try PickleDataset.decode(Array(bytes.prefix(bytes.count / 2)), name: "t.pkl.gz")) { error in
            XCTAssertTrue("\(error)".contains("gzip: the compressed data is truncated"), "\(error)")
        }
        XCTAssertEqual(try PickleDataset.decode(bytes, name: "g").count, 3)
    }

    /// A PNG renamed `.pkl` is called a PNG, not a pickle with a stray persistent id.
    func testAnImageOrArchiveRenamedPklSaysItIsNotAPickle() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        XCTAssertThrowsError(try PickleDataset.decode(png, name: "photo.pkl")) { error in
            XCTAssertEqual("\(error)", "photo.pkl at byte 0: this is not a pickle: it starts like a PNG image; check the file, or its extension")
        }
        XCTAssertThrowsError(try PickleDataset.decode([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0], name: "model.pkl")) { error in
            XCTAssertTrue("\(error)".contains("not a pickle: it starts like a ZIP archive"), "\(error)")
            XCTAssertFalse("\(error)".contains("persistent id"), "\(error)")
        }
    }

    func testRepeatedReferencesToOneArrayAreBounded() throws {
        // One (10, 50, 3) float32 sample memoized, then referenced 200 000 times: 400 kB of GETs
        // would unpack to 300 M floats; the budget (64 per byte read) stops it early.
        let wide = Layout.generic(jointCount: 50)
        let one = PickleDataset.encode(try PoseDataset(layout: wide, samples: [
            try PoseSequence(layout: wide, fps: 25, values: (0..<1500).map { Float($0) }),
        ]))
        // Rewrite "[ ( dict u e ." as "[ ( dict PUT0 (GET0 × n) e .".
        let sampleStart = 4, sampleEnd = one.count - 2  // after PROTO, ']', '('; before 'e', '.'
        var bytes = Array(one[0..<sampleStart]) + Array(one[sampleStart..<sampleEnd]) + [0x71, 0x00]
        for _ in 0..<200_000 { bytes += [0x68, 0x00] }
        bytes += [0x65, 0x2E]
        XCTAssertThrowsError(try PickleDataset.decode(bytes, name: "fan.pkl")) { error in
            XCTAssertTrue("\(error)".contains("more numbers than this reader will unpack"), "\(error)")
        }
    }
}
