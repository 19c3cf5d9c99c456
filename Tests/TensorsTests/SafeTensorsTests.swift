import Foundation
import XCTest
import TestSupport
@testable import Tensors

final class SafeTensorsTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func temporaryURL(_ name: String) -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensors-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name)
    }

    /// The file written by Python's `safetensors` (F32, F16, BF16, scalar, empty, metadata).
    func testReadsReferenceFile() throws {
        let file = try SafeTensors.read(from: fixtures.appendingPathComponent("reference.safetensors"))
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("reference.expected.json"))) as! [String: Any]
        let tensors = expected["tensors"] as! [String: [String: Any]]
        XCTAssertEqual(Set(file.tensors.keys), Set(tensors.keys))
        let dtypeNames = ["float32": "F32", "float16": "F16", "bfloat16": "BF16"]
        for (name, info) in tensors {
            let t = try XCTUnwrap(file.tensors[name], name)
            XCTAssertEqual(t.shape, info["shape"] as! [Int], name)
            XCTAssertEqual(t.scalars, (info["values"] as! [Double]).map { Float($0) }, name)
            XCTAssertEqual(file.dtypes[name], dtypeNames[info["dtype"] as! String], name)
        }
        XCTAssertEqual(file.metadata, expected["metadata"] as! [String: String])
        XCTAssertEqual(file.tensors["scalar"]?.shape, [])
        XCTAssertEqual(file.tensors["empty"]?.shape, [0, 4])
    }

    func testRoundTripWithMetadataAndAlignment() throws {
        let tensors: [String: Tensor] = [
            "encoder.weight": randomTensor([3, 5], seed: 1),
            "a.bias": Tensor(shape: [7], scalars: [1, 2, 3, 4, 5, 6, -0.0]),
            "scalar": Tensor(2.5),
            "empty": Tensor(zeros: [0, 4]),
            "odd \"name\"\n": Tensor(shape: [1], scalars: [.infinity]),
        ]
        let metadata = ["config": "{\"dim\": 4, \"layout\": \"openpose137\"}", "format": "pt"]
        let url = temporaryURL("roundtrip.safetensors")
        try SafeTensors.write(tensors, metadata: metadata, to: url)
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(headerLength % 8, 0, "header padded to 8 bytes")
        XCTAssertEqual(bytes.count, 8 + headerLength + 4 * (15 + 7 + 1 + 0 + 1))
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.trimmingCharacters(in: .init(charactersIn: " ")).hasSuffix("}"), "only spaces pad the JSON")
        let back = try SafeTensors.read(from: url)
        XCTAssertEqual(back.tensors, tensors)
        XCTAssertEqual(back.metadata, metadata)
        XCTAssertTrue(back.dtypes.values.allSatisfy { $0 == "F32" })
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], "no temporary file left behind")
        // Byte-exact: writing what was read gives the same file.
        XCTAssertEqual(SafeTensors.encode(back.tensors, metadata: back.metadata), bytes)
    }

    /// A header + data section with the given JSON text (padded) and data size.
    func file(header: String, dataBytes: Int) -> Data {
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var d = Data()
        var n = UInt64(h.count).littleEndian
        withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
        d.append(contentsOf: h)
        d.append(Data(count: dataBytes))
        return d
    }

    func assertRejects(_ data: Data, mentioning words: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensors.decode(data, path: "bad.safetensors"), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(words), "error '\(error)' should mention '\(words)'", file: file, line: line)
            XCTAssertTrue("\(error)".contains("bad.safetensors"), file: file, line: line)
        }
    }

    func testBadFilesGiveClearErrors() throws {
        let good = SafeTensors.encode(["w": randomTensor([2, 3], seed: 2)])
        XCTAssertNoThrow(try SafeTensors.decode(good))
        assertRejects(Data([1, 2, 3]), mentioning: "truncated")
        assertRejects(good.prefix(8), mentioning: "header")                          // length says more than there is
        assertRejects(good.prefix(good.count - 4), mentioning: "outside")             // data cut short
        var huge = good
        huge.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        assertRejects(huge, mentioning: "header")
        assertRejects(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,800]}}", dataBytes: 8), mentioning: "outside")
        assertRejects(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,0]}}", dataBytes: 8), mentioning: "outside")
        assertRejects(file(header: "{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", dataBytes: 8), mentioning: "I64")
        assertRejects(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", dataBytes: 8), mentioning: "span")
        assertRejects(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", dataBytes: 8), mentioning: "shape")
        assertRejects(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", dataBytes: 8), mentioning: "shape")
        assertRejects(file(header: "{\"w\": [1, 2", dataBytes: 0), mentioning: "JSON")
        assertRejects(file(header: "[]", dataBytes: 0), mentioning: "object")
        assertRejects(file(header: "{\"__metadata__\":{\"a\":1}}", dataBytes: 0), mentioning: "metadata")
        // Writing into a path whose parent is a file fails with an error, and leaves no temporary behind.
        let blocker = temporaryURL("blocker")
        try Data([1]).write(to: blocker)
        XCTAssertThrowsError(try SafeTensors.write(["w": Tensor(1)], to: blocker.appendingPathComponent("x.safetensors")))
        XCTAssertThrowsError(try SafeTensors.read(from: temporaryURL("missing.safetensors"))) { error in
            XCTAssertTrue("\(error)".contains("missing.safetensors"))
            XCTAssertTrue("\(error)".contains("No such file"), "\(error)")
        }
    }

    /// Files that are not files, or hold nothing, are read through the mapping without a trap and
    /// named in the error (the fuzz harness replays the empty file: Fuzz/crashes/checkpoint).
    func testEmptyFilesAndDirectoriesGiveClearErrors() throws {
        let empty = temporaryURL("empty.safetensors")
        try Data().write(to: empty)
        XCTAssertThrowsError(try SafeTensors.read(from: empty)) { error in
            XCTAssertTrue("\(error)".contains("empty.safetensors") && "\(error)".contains("truncated: 0 bytes"), "\(error)")
        }
        let directory = temporaryURL("directory.safetensors")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        XCTAssertThrowsError(try SafeTensors.read(from: directory)) { error in
            XCTAssertTrue("\(error)".contains("directory.safetensors") && "\(error)".contains("not a regular file"), "\(error)")
        }
    }
}

/// Interoperability with the reference reader: a file written here is loaded by Python's
/// `safetensors` package (numpy backend) and compared value by value. Skipped when python3 or the
/// package is missing.
final class SafeTensorsInteropTests: XCTestCase {
    func testPythonReferenceReaderLoadsOurFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tensors-interop-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("ours.safetensors")
        let tensors: [String: Tensor] = ["w": randomTensor([3, 4], seed: 9), "s": Tensor(1.25), "e": Tensor(zeros: [0, 2])]
        try SafeTensors.write(tensors, metadata: ["config": "{\"dim\": 4}"], to: url)
        let script = """
        import json, sys
        from safetensors.numpy import load_file
        from safetensors import safe_open
        t = load_file(sys.argv[1])
        with safe_open(sys.argv[1], framework="numpy") as f:
            meta = f.metadata()
        print(json.dumps({"tensors": {k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": [float(x) for x in v.ravel()]} for k, v in t.items()}, "metadata": meta}))
        """
        let output = try PythonReference.run(script, arguments: [url.path])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: output) as? [String: Any])
        XCTAssertEqual(json["metadata"] as? [String: String], ["config": "{\"dim\": 4}"])
        let loaded = try XCTUnwrap(json["tensors"] as? [String: [String: Any]])
        XCTAssertEqual(Set(loaded.keys), Set(tensors.keys))
        for (name, t) in tensors {
            XCTAssertEqual(loaded[name]?["dtype"] as? String, "float32")
            XCTAssertEqual(loaded[name]?["shape"] as? [Int], t.shape)
            XCTAssertEqual((loaded[name]?["values"] as? [Double])?.map(Float.init), t.scalars)
        }
    }
}
