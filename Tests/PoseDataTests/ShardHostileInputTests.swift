import Foundation
import XCTest
@testable import PoseData

/// Shard files are untrusted input: every offset, count and size a file claims is checked against
/// its bytes and the format's ceilings before use, and a bad file is an error that names the file
/// and what is wrong — never a crash, a hang or a read outside the file.
final class ShardHostileInputTests: XCTestCase {
    /// A valid one-shard dataset of three samples (one with text features) to damage.
    private func validDataset() throws -> ShardSurgery {
        var samples: [PoseSequence] = []
        for index in 0..<3 {
            var sample = try TestData.sequence(frames: 4 + index, name: "s\(index)")
            sample.text = "t\(index)"
            if index == 1 { sample.textFeatures = try TextFeatures(rows: 2, width: 3, values: (0..<6).map(Float.init)) }
            samples.append(sample)
        }
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("shards")
        try PoseIO.saveShards(try PoseDataset(layout: TestData.tinyLayout, samples: samples), to: directory, samplesPerShard: 3)
        return try ShardSurgery(directory: directory)
    }

    private func assertLoadFails(_ surgery: ShardSurgery, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PoseIO.load(contentsOf: surgery.directory), file: file, line: line) { error in
            XCTAssertTrue(error is PoseDataError, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(expected), "expected '\(expected)' in: \(error)", file: file, line: line)
        }
    }

    func testValidDatasetLoads() throws {
        XCTAssertEqual(try PoseIO.load(contentsOf: try validDataset().directory).count, 3)
    }

    func testBadFrameOffsets() throws {
        let surgery = try validDataset()
        let offsets = try surgery.entry("frame_offsets").lowerBound
        try surgery.patchInteger(at: offsets + 8, 10)  // offsets 0, 10, 9, 15
        assertLoadFails(surgery, "offsets must not decrease")
        try surgery.patchInteger(at: offsets + 8, 4)
        try surgery.patchInteger(at: offsets, 1)
        assertLoadFails(surgery, "'frame_offsets' starts at 1, not 0")
        try surgery.patchInteger(at: offsets, 0)
        try surgery.patchInteger(at: offsets + 24, 14)
        assertLoadFails(surgery, "'frame_offsets' ends at 14, but the shard holds 15 frames")
        try surgery.patchInteger(at: offsets + 24, 15)
        try surgery.patchInteger(at: offsets + 8, 2_000_000)
        assertLoadFails(surgery, "a sample holds at most 1000000 frames")
        try surgery.patchInteger(at: offsets + 8, -1)
        assertLoadFails(surgery, "offsets must not decrease")
    }

    func testHeaderLengthBeyondTheFileOrTheLimit() throws {
        let surgery = try validDataset()
        try surgery.patchInteger(at: 0, Int64(surgery.shardSize))
        assertLoadFails(surgery, "bytes follow the length field")
        try surgery.patchInteger(at: 0, 200_000_000)
        assertLoadFails(surgery, "the shard declares a header of 200000000 bytes, above the 100 MB limit")
        try surgery.patchInteger(at: 0, -1)
        assertLoadFails(surgery, "above the 100 MB limit")
    }

    func testHeaderThatIsNotJSONOrNotAnObject() throws {
        let surgery = try validDataset()
        try surgery.setHeader("{\"frames\": ")
        assertLoadFails(surgery, "the shard has a header that is not valid JSON")
        try surgery.setHeader("[1, 2]")
        assertLoadFails(surgery, "the shard has a JSON header that is not an object")
    }

    func testWrongDtypeShapeAndOffsets() throws {
        let surgery = try validDataset()
        let header = try surgery.header()
        try surgery.setHeader(header.replacingOccurrences(of: "\"fps\": {\"dtype\": \"F64\"", with: "\"fps\": {\"dtype\": \"I64\""))
        assertLoadFails(surgery, "the tensor 'fps' is I64, not F64")
        try surgery.setHeader(header.replacingOccurrences(of: "\"dtype\": \"F32\", \"shape\": [15, 4, 3]", with: "\"dtype\": \"F32\", \"shape\": [15, 3, 4]"))
        assertLoadFails(surgery, "the tensor 'frames' has shape [15, 3, 4]; the index and the other tensors make it [15, 4, 3]")
        try surgery.setHeader(header.replacingOccurrences(of: "\"dtype\": \"F32\", \"shape\": [15, 4, 3]", with: "\"dtype\": \"F32\", \"shape\": [15, 4, 30000000000]"))
        assertLoadFails(surgery, "entry 'frames' has shape [15, 4, 30000000000], larger than the file")
        try surgery.setHeader(header.replacingOccurrences(of: "\"dtype\": \"F32\", \"shape\": [15, 4, 3]", with: "\"dtype\": \"F32\", \"shape\": [15, 4, 300000]"))
        assertLoadFails(surgery, "entry 'frames' has shape [15, 4, 300000], larger than the file")
        try surgery.setHeader(header.replacingOccurrences(of: "\"shape\": [15, 4, 3], \"data_offsets\": [", with: "\"shape\": [15, 4, 3], \"data_offsets\": [999999999, "))
        assertLoadFails(surgery, "entry 'frames' has data_offsets that are not two integers")
        try surgery.setHeader(header.replacingOccurrences(of: "\"shape\": [15, 4, 3], \"data_offsets\": [", with: "\"shape\": [15, 4, 3], \"data_offsets\": [999999999, 1000000179], \"unused\": ["))
        assertLoadFails(surgery, "entry 'frames' has data_offsets [999999999, 1000000179] outside the")
        try surgery.setHeader(header.replacingOccurrences(of: "\"dtype\": \"F64\"", with: "\"dtype\": \"C128\""))
        assertLoadFails(surgery, "has dtype 'C128', which is not supported (supported: BF16, BOOL, F16, F32,")
        try surgery.setHeader(header.replacingOccurrences(of: "\"frame_offsets\"", with: "\"offsets\""))
        assertLoadFails(surgery, "the tensor 'frame_offsets' is missing")
        try surgery.setHeader(header.replacingOccurrences(of: "\"feature_present\"", with: "\"present\""))
        assertLoadFails(surgery, "text features need the tensors text_features, feature_offsets, feature_present")
    }

    func testBadMetadata() throws {
        let surgery = try validDataset()
        let header = try surgery.header()
        try surgery.setHeader(header.replacingOccurrences(of: "\"version\": \"1\"", with: "\"version\": \"2\""))
        assertLoadFails(surgery, "shard format version 2 is newer than this HybridSign reads (1); update HybridSign")
        try surgery.setHeader(header.replacingOccurrences(of: "\"format\": \"hybridsign-shard\"", with: "\"format\": \"\\u001b[2Jx\""))
        assertLoadFails(surgery, "the metadata's format is '\\e[2Jx', not 'hybridsign-shard'")
        try surgery.setHeader(header.replacingOccurrences(of: "\"name\": \"[\\\"s0\\\", \\\"s1\\\", \\\"s2\\\"]\"", with: "\"name\": \"[\\\"s0\\\"]\""))
        assertLoadFails(surgery, "the metadata 'name' must be a JSON array of 3 strings or nulls")
        try surgery.setHeader(header.replacingOccurrences(of: "\"name\": \"[\\\"s0\\\", \\\"s1\\\", \\\"s2\\\"]\"", with: "\"name\": \"[\\\"s0\\\", 7, null]\""))
        assertLoadFails(surgery, "the metadata 'name' holds a number for sample 1, not a string or null")
        try surgery.setHeader(header.replacingOccurrences(of: "\"__metadata__\": {", with: "\"__metadata__\": {\"n\": 3, "))
        assertLoadFails(surgery, "the shard has __metadata__ value for 'n' that is not a string")
    }

    func testBadRatesAndFeatureFlags() throws {
        let surgery = try validDataset()
        let fps = try surgery.entry("fps").lowerBound
        try surgery.patch(at: fps + 8, withUnsafeBytes(of: Double.nan.bitPattern.littleEndian, Array.init))
        assertLoadFails(surgery, "sample 1: fps nan is outside 0.001...100000")
        try surgery.patch(at: fps + 8, withUnsafeBytes(of: (25.0).bitPattern.littleEndian, Array.init))
        let flags = try surgery.entry("feature_present").lowerBound
        try surgery.patch(at: flags, [2])
        assertLoadFails(surgery, "'feature_present' holds 2 for sample 0; it must be 0 or 1")
        try surgery.patch(at: flags, [0, 0])
        assertLoadFails(surgery, "sample 1 has no text features but 2 feature rows")
        try surgery.patch(at: flags, [0, 1])
        XCTAssertEqual(try PoseIO.load(contentsOf: surgery.directory)[1].textFeatures?.rows, 2)
    }

    func testIndexDisagreeingWithTheShardOrTheDirectory() throws {
        let surgery = try validDataset()
        let index = try surgery.index()
        try surgery.setIndex(index.replacingOccurrences(of: "\"bytes\": \(surgery.shardSize)", with: "\"bytes\": \(surgery.shardSize + 1)"))
        assertLoadFails(surgery, "but the index says \(surgery.shardSize + 1): it was changed or cut short after the index was written")
        try surgery.setIndex(index.replacingOccurrences(of: surgery.shardName, with: "../\(surgery.shardName)"))
        assertLoadFails(surgery, "shard 0 needs a \"file\": a plain file name ending in .safetensors (no directories)")
        try surgery.setIndex(index.replacingOccurrences(of: surgery.shardName, with: "shard-gone.safetensors"))
        assertLoadFails(surgery, "cannot open shard 0 of")
        try surgery.setIndex(index.replacingOccurrences(of: "\"samples\": 3, \"frames\": 15,\n", with: "\"samples\": 4, \"frames\": 15,\n"))
        assertLoadFails(surgery, "\"samples\" must be 3, the sum over the shards")
        try surgery.setIndex(index.replacingOccurrences(of: "\"samples\": 3, \"frames\": 15, \"bytes\"", with: "\"samples\": 3, \"frames\": 16, \"bytes\""))
        assertLoadFails(surgery, "\"frames\" must be 16")
        try surgery.setIndex(index.replacingOccurrences(of: "\"samples\": 3, \"frames\": 15, \"bytes\"", with: "\"samples\": 0, \"frames\": 15, \"bytes\""))
        assertLoadFails(surgery, "needs \"samples\": a whole number in 1...1048576")
        try surgery.setIndex(index.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 9"))
        assertLoadFails(surgery, "sharded dataset version 9 is newer than this HybridSign reads (1)")
        try surgery.setIndex(index.replacingOccurrences(of: "hybridsign-shards", with: "something-else"))
        assertLoadFails(surgery, "this is not the index of a HybridSign sharded dataset")
        try surgery.setIndex(String(index.prefix(40)))
        assertLoadFails(surgery, "index.json at byte 40")
        try surgery.setIndex(index.replacingOccurrences(of: "\"joints\": [\"a\", \"b\", \"c\", \"d\"]", with: "\"joints\": [\"a\", \"b\", \"c\"]"))
        assertLoadFails(surgery, "layout")
    }

    func testIndexAboveTheCeilingIsNotRead() throws {
        let surgery = try validDataset()
        let url = surgery.directory.appendingPathComponent(ShardFormat.indexFileName)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(ShardFormat.maximumIndexBytes + 1))  // sparse: costs no disk
        try handle.close()
        assertLoadFails(surgery, "the index has 67108865 bytes, above the limit of 67108864")
    }

    func testTruncatedShardWithAMatchingIndex() throws {
        let surgery = try validDataset()
        for size in [0, 5, 8, 100, surgery.shardSize - 1] {
            let bytes = try surgery.shardBytes()
            try Data(bytes.prefix(size)).write(to: surgery.shardURL)
            try surgery.setIndex(try surgery.index().replacingOccurrences(of: "\"bytes\": \(surgery.shardSize)", with: "\"bytes\": \(size)"))
            XCTAssertThrowsError(try PoseIO.load(contentsOf: surgery.directory), "size \(size)")
            try Data(bytes).write(to: surgery.shardURL)
            try surgery.setIndex(try surgery.index().replacingOccurrences(of: "\"bytes\": \(size)", with: "\"bytes\": \(surgery.shardSize)"))
        }
    }

    /// Random damage anywhere in the shard: loading fails with an error or succeeds, and a loaded
    /// dataset reads every sample (values may be any bits: frames are not checked, as in other formats).
    func testRandomDamageNeverCrashes() throws {
        let surgery = try validDataset()
        let original = try surgery.shardBytes()
        var generator = SeededGenerator(seed: 11)
        let cases = ProcessInfo.processInfo.environment["HYBRIDSIGN_FUZZ_CASES"].flatMap(Int.init) ?? 600
        var loaded = 0
        for _ in 0..<cases {
            var bytes = original
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                // Damage the header more often: that is where the claims are.
                let target = generator.next() % 2 == 0 ? position % min(bytes.count, 700) : position
                bytes[target] = generator.next() % 3 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : bytes[target] ^ (1 << (generator.next() % 8))
            }
            try Data(bytes).write(to: surgery.shardURL)
            do {
                let dataset = try PoseIO.load(contentsOf: surgery.directory)
                for (index, sample) in dataset.samples.enumerated() {
                    XCTAssertEqual(sample.frameCount, dataset.samples.frameCount(at: index))
                }
                loaded += 1
            } catch {
                // Typed throws: only PoseDataError gets here; a crash would end the test run.
            }
        }
        XCTAssertGreaterThan(loaded, 0, "some damage only touches frame values and still loads")
        XCTAssertLessThan(loaded, cases, "most damage is caught")
    }
}

/// Edits a one-shard dataset in place for the tests above.
private struct ShardSurgery {
    let directory: URL
    let shardName: String
    let shardSize: Int
    var shardURL: URL { directory.appendingPathComponent(shardName) }

    init(directory: URL) throws {
        self.directory = directory
        shardName = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasSuffix(".safetensors") })
        shardSize = try Data(contentsOf: directory.appendingPathComponent(shardName)).count
    }

    func shardBytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: shardURL)) }

    func headerLength() throws -> Int {
        let bytes = try shardBytes()
        return Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
    }

    func header() throws -> String {
        String(decoding: try shardBytes()[8..<(8 + headerLength())], as: UTF8.self)
    }

    /// Replaces the header text, keeping the data section; the index's byte count follows.
    func setHeader(_ text: String) throws {
        let bytes = try shardBytes()
        let data = bytes[(8 + (try headerLength()))...]
        var out = withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian, Array.init)
        out += Array(text.utf8) + data
        let oldSize = try Data(contentsOf: shardURL).count
        try Data(out).write(to: shardURL)
        try setIndex(try index().replacingOccurrences(of: "\"bytes\": \(oldSize)", with: "\"bytes\": \(out.count)"))
    }

    /// The absolute byte range of tensor `name`.
    func entry(_ name: String) throws -> Range<Int> {
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try self.header().utf8)) as? [String: Any])
        let offsets = try XCTUnwrap((header[name] as? [String: Any])?["data_offsets"] as? [Int])
        let start = 8 + (try headerLength())
        return (start + offsets[0])..<(start + offsets[1])
    }

    func patch(at offset: Int, _ replacement: [UInt8]) throws {
        var bytes = try shardBytes()
        bytes.replaceSubrange(offset..<(offset + replacement.count), with: replacement)
        try Data(bytes).write(to: shardURL)
    }

    func patchInteger(at offset: Int, _ value: Int64) throws {
        try patch(at: offset, withUnsafeBytes(of: value.littleEndian, Array.init))
    }

    func index() throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent(ShardFormat.indexFileName)), as: UTF8.self)
    }

    func setIndex(_ text: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(ShardFormat.indexFileName))
    }
}
