import Foundation
import XCTest
@testable import PoseData

/// The opcode machine: values, Python's sharing semantics, and clear errors on bad input.
final class PickleReaderTests: XCTestCase {
    private func read(_ bytes: [UInt8]) throws -> PickleValue { try PickleReader.read(bytes) }
    private func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Asserts reading fails with a message containing every fragment.
    private func assertRejects(_ bytes: [UInt8], _ fragments: String..., file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PickleReader.read(bytes), file: file, line: line) { error in
            let message = "\(error)"
            for fragment in fragments {
                XCTAssertTrue(message.contains(fragment), "'\(message)' lacks '\(fragment)'", file: file, line: line)
            }
        }
    }

    // MARK: Values

    func testScalarsOfEveryProtocol() throws {
        XCTAssertEqual(try read([0x80, 2, 0x4E, 0x2E]), .none)
        XCTAssertEqual(try read([0x80, 2, 0x88, 0x2E]), .bool(true))
        XCTAssertEqual(try read([0x80, 2, 0x4A, 0xFE, 0xFF, 0xFF, 0xFF, 0x2E]), .int(-2))
        XCTAssertEqual(try read([0x80, 2, 0x4D, 0x00, 0x01, 0x2E]), .int(256))
        XCTAssertEqual(try read([0x80, 2, 0x8A, 0x00, 0x2E]), .int(0))
        XCTAssertEqual(try read([0x80, 2, 0x8A, 0x01, 0xFF, 0x2E]), .int(-1))
        XCTAssertEqual(try read([0x80, 2, 0x8A, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x2E]), .int(Int.max))
        XCTAssertEqual(try read([0x80, 2, 0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0x2E]), .float(1.5))
        XCTAssertEqual(try read(ascii("I42\n.")), .int(42))
        XCTAssertEqual(try read(ascii("I01\n.")), .bool(true))
        XCTAssertEqual(try read(ascii("F-2.25\n.")), .float(-2.25))
        XCTAssertEqual(try read(ascii("S'a\\x41\\n'\n.")), .string("aA\n"))
        XCTAssertEqual(try read(ascii("Vcaf\\u00e9\n.")), .string("café"))
        // 12345678901234567890123 = 0x029D42B64E76714244CB
        XCTAssertEqual(try read(ascii("L12345678901234567890123L\n.")), .bigInt([0xCB, 0x44, 0x42, 0x71, 0x76, 0x4E, 0xB6, 0x42, 0x9D, 0x02]))
        XCTAssertEqual(try read(ascii("L-5L\n.")), .int(-5))
        XCTAssertEqual(try read([0x80, 4, 0x8C, 0x02, 0xC3, 0xA4, 0x2E]), .string("ä"))
        XCTAssertEqual(try read([0x80, 3, 0x43, 0x02, 0x00, 0x01, 0x2E]), .bytes([0, 1]))
    }

    func testMemoSharesMutableContainersAsPythonDoes() throws {
        // (MARK, [], PUT 0, GET 0, TUPLE) then GET 0, 7, APPEND, POP → ([7], [7])
        let bytes: [UInt8] = [0x80, 2, 0x28, 0x5D, 0x71, 0x00, 0x68, 0x00, 0x74, 0x68, 0x00, 0x4B, 0x07, 0x61, 0x30, 0x2E]
        XCTAssertEqual(try read(bytes), .tuple([.list([.int(7)]), .list([.int(7)])]))
    }

    func testDictKeepsFirstPositionAndLastValueOfARepeatedKey() throws {
        // {1: 2, True: 3} is {1: 3} in Python.
        let bytes: [UInt8] = [0x80, 2, 0x7D, 0x28, 0x4B, 1, 0x4B, 2, 0x4B, 5, 0x4B, 6, 0x88, 0x4B, 3, 0x75, 0x2E]
        XCTAssertEqual(try read(bytes), .dict([.init(key: .int(1), value: .int(3)), .init(key: .int(5), value: .int(6))]))
    }

    func testPopOnAnEmptyFrameDiscardsTheMark() throws {
        // MARK, POP (drops the mark), 1, STOP
        XCTAssertEqual(try read([0x80, 2, 0x28, 0x30, 0x4B, 1, 0x2E]), .int(1))
    }

    func testReadFromOffsetReportsTheEnd() throws {
        let (value, end) = try PickleReader.read([0x4E, 0x2E, 0x4B, 9, 0x2E], from: 2)
        XCTAssertEqual(value, .int(9))
        XCTAssertEqual(end, 5)
    }

    // MARK: Hostile and broken input

    func testDisallowedGlobalIsNamedWithItsOffset() {
        assertRejects(ascii("cos\nsystem\n(S'echo hi'\ntR."), "'os.system'", "at byte 0", "allow-list", "nothing in a file is ever executed")
        // Protocol 4: 'builtins' 'eval' STACK_GLOBAL at byte 18.
        var bytes: [UInt8] = [0x80, 4, 0x8C, 8] + ascii("builtins") + [0x8C, 4] + ascii("eval") + [0x93]
        bytes += [0x8C, 1, 0x31, 0x85, 0x52, 0x2E]
        assertRejects(bytes, "'builtins.eval'", "at byte 18")
        assertRejects(ascii("c__main__\nEvil\n)\u{81}."), "'__main__.Evil'")
    }

    func testStackUnderflowMissingMarkAndAbsentMemoKey() {
        assertRejects([0x80, 2, 0x61, 0x2E], "APPEND", "stack is empty", "at byte 2")
        assertRejects([0x80, 2, 0x5D, 0x28, 0x61, 0x2E], "APPEND", "above the last MARK")
        assertRejects([0x80, 2, 0x4B, 1, 0x74, 0x2E], "TUPLE needs a MARK")
        assertRejects([0x80, 2, 0x68, 5, 0x2E], "memo key 5")
        assertRejects([0x80, 2, 0x2E], "STOP", "stack is empty")
        assertRejects([0x80, 2, 0x4B, 1, 0x4B, 2, 0x61, 0x2E], "APPEND needs a list", "not int")
        assertRejects([0x80, 2, 0x7D, 0x28, 0x4B, 1, 0x75, 0x2E], "SETITEMS has 1 items")
        assertRejects([0x80, 2, 0x7D, 0x5D, 0x4B, 1, 0x73, 0x2E], "unhashable")
    }

    func testTruncationAndImpossibleLengthsAllocateNothing() {
        assertRejects([0x80, 4, 0x8C, 0x10] + ascii("abc"), "SHORT_BINUNICODE needs 16 bytes, but only 3 remain")
        assertRejects([0x80, 4, 0x8E] + [UInt8](repeating: 0xFF, count: 8), "impossible length")
        assertRejects([0x80, 4, 0x8E, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x2E], "needs 4611686018427387904 bytes")
        assertRejects([0x80, 2, 0x8B, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E], "negative length")
        assertRejects([0x80, 4, 0x95, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x4E, 0x2E], "FRAME announces 65535 bytes")
        assertRejects([0x80, 2, 0x4B, 1], "without a STOP", "truncated")
        assertRejects(ascii("I12"), "no terminating newline")
        assertRejects([0x80, 2, 0x4A, 0x01], "BININT needs 4 bytes")
        assertRejects([], "without a STOP")
    }

    func testUnknownOpcodesProtocolsAndTrailingBytes() {
        assertRejects([0x80, 2, 0xFF, 0x2E], "unknown opcode 0xff", "at byte 2")
        assertRejects([0x80, 6, 0x4E, 0x2E], "protocol 6")
        assertRejects([0x4E, 0x2E, 0x4E, 0x2E], "2 bytes follow the pickle's STOP")
        assertRejects([0x80, 5, 0x97, 0x2E], "out of band")
        assertRejects([0x80, 2, 0x82, 1, 0x2E], "extension registry")
        assertRejects(ascii("P0\n."), "persistent id")
    }

    func testDeepNestingAndSelfReferenceAreRefused() {
        let depth = 100_000
        let lists = [UInt8](repeating: 0x5D, count: depth) + [UInt8](repeating: 0x61, count: depth - 1) + [0x2E]
        assertRejects(lists, "more than \(PickleReader.maximumDepth) levels")
        let tuples = [0x80, 2, 0x4E] + [UInt8](repeating: 0x85, count: depth) + [0x2E]
        assertRejects(tuples, "more than \(PickleReader.maximumDepth) levels")
        // [], PUT 0, GET 0, APPEND: a list inside itself.
        assertRejects([0x80, 2, 0x5D, 0x71, 0, 0x68, 0, 0x61, 0x2E], "contains itself")
    }

    func testFanOutThroughTheMemoStaysLinear() throws {
        // t0 = (); t(k+1) = (tk, tk): 2^60 leaves if copied, 60 shared levels here.
        var bytes: [UInt8] = [0x80, 2, 0x29]
        for _ in 0..<60 { bytes += [0x71, 0, 0x68, 0, 0x86] }
        bytes.append(0x2E)
        var value = try read(bytes)
        var levels = 0
        while case .tuple(let items) = value, let first = items.first { value = first; levels += 1 }
        XCTAssertEqual(levels, 60)
    }

    func testTorchViewOutsideItsStorageIsRejected() throws {
        var bytes = try PickleTestSupport.bytes(PickleTestSupport.fixture("authors-torch-cut.pkl"))
        // The first tensor's size tuple (0, 6, 137, 3) follows its storage; make 6 frames 60.
        let marker: [UInt8] = [0x4B, 0x00, 0x4B, 0x06, 0x4B, 0x89, 0x4B, 0x03]
        let index = try XCTUnwrap((0..<(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
        bytes[index + 3] = 60
        XCTAssertThrowsError(try PickleReader.read(bytes)) { error in
            XCTAssertTrue("\(error)".contains("but the storage holds 2466"), "\(error)")
        }
    }

    func testTorchLegacyBytesThatHoldNoStorageAreRejected() {
        // _load_from_bytes over: magic, 1001, {}, [] (a list where the storage belongs).
        let inner: [UInt8] = [0x80, 2, 0x8A, 10] + TorchLegacyStorage.magic + [0x2E, 0x80, 2, 0x4D, 0xE9, 0x03, 0x2E,
                                                                              0x80, 2, 0x7D, 0x2E, 0x80, 2, 0x5D, 0x2E]
        var bytes: [UInt8] = [0x80, 2] + ascii("ctorch.storage\n_load_from_bytes\n")
        bytes += [0x42, UInt8(inner.count), 0, 0, 0] + inner + [0x85, 0x52, 0x2E]
        assertRejects(bytes, "torch legacy storage", "is a list, not a storage")
        // Only the magic number: the rest of the legacy sequence is missing.
        var truncated: [UInt8] = [0x80, 2] + ascii("ctorch.storage\n_load_from_bytes\n")
        truncated += [0x42, 15, 0, 0, 0] + Array(inner.prefix(15)) + [0x85, 0x52, 0x2E]
        assertRejects(truncated, "without a STOP")
    }

    func testNumpyStatesMustMatchTheirData() throws {
        var bytes = try PickleTestSupport.bytes(PickleTestSupport.fixture("protocol2.pkl"))
        // Protocol 2 shapes are BININT1 frame counts in a TUPLE3: (4, 5, 3) → (9, 5, 3).
        let marker: [UInt8] = [0x4B, 0x04, 0x4B, 0x05, 0x4B, 0x03]
        let index = try XCTUnwrap((0..<(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
        bytes[index + 1] = 9
        XCTAssertThrowsError(try PickleReader.read(bytes)) { error in
            XCTAssertTrue("\(error)".contains("shape [9, 5, 3]"), "\(error)")
        }
    }
}
