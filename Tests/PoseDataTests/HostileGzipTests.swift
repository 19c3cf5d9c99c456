import CZlib
import Foundation
import XCTest
@testable import PoseData

/// gzip bombs (issue 18): a pickle is inflated only as far as its opcodes read, never beyond a
/// multiple of the compressed size, so a bomb is refused after a few MB instead of gigabytes.
final class HostileGzipTests: XCTestCase {
    /// gzip data of `prefix` followed by `zeros` zero bytes, compressed as they stream (the zeros
    /// are never held in memory at once).
    private func gzip(_ prefix: [UInt8], zeros: Int) throws -> [UInt8] {
        var stream = z_stream()
        XCTAssertEqual(hs_deflateInit2(&stream, 9, 16 + 15), Z_OK)
        defer { deflateEnd(&stream) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        func pump(_ input: [UInt8], finish: Bool) {
            var input = input
            input.withUnsafeMutableBufferPointer { source in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                repeat {
                    let produced = buffer.withUnsafeMutableBufferPointer { target -> Int in
                        stream.next_out = target.baseAddress
                        stream.avail_out = UInt32(target.count)
                        _ = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
                        return target.count - Int(stream.avail_out)
                    }
                    output += buffer[0..<produced]
                } while stream.avail_in > 0 || stream.avail_out == 0
            }
        }
        pump(prefix, finish: false)
        let block = [UInt8](repeating: 0, count: 1 << 20)
        var left = zeros
        while left > 0 {
            let count = min(left, block.count)
            pump(Array(block[0..<count]), finish: false)
            left -= count
        }
        pump([], finish: true)
        return output
    }

    /// 512 MiB of zeros in 512 gzip members of 1 MiB (`cat`-ed members are one gzip file), so
    /// the test compresses only one.
    private lazy var bomb: [UInt8] = {
        let member = try! gzip([], zeros: 1 << 20)
        return [[UInt8]](repeating: member, count: 512).flatMap { $0 }
    }()

    func testAZeroBombIsRefusedAtItsFirstByteWithoutInflatingTheRest() throws {
        let bomb = self.bomb
        XCTAssertLessThan(bomb.count, 1 << 20)
        let start = Date()
        XCTAssertThrowsError(try PickleDataset.decode(bomb, name: "bomb.pkl.gz")) { error in
            XCTAssertTrue("\(error)".contains("unknown opcode 0x0"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
        // What the reader inflated to see that first byte: one small chunk.
        let source = try InflatingBuffer(bomb, fileName: "bomb.pkl.gz")
        XCTAssertTrue(try source.fill(toAtLeast: 1))
        XCTAssertLessThanOrEqual(source.bytes.count, 1 << 16)
    }

    func testInflatingAWholeBombStopsAtAMultipleOfItsCompressedSize() throws {
        let bomb = self.bomb
        XCTAssertEqual(Gzip.limit(forCompressedSize: bomb.count), Gzip.minimumLimit)
        XCTAssertThrowsError(try Gzip.inflate(bomb, fileName: "bomb.gz")) { error in
            XCTAssertTrue("\(error)".contains("inflates to more than \(Gzip.minimumLimit) bytes"), "\(error)")
        }
        XCTAssertEqual(Gzip.limit(forCompressedSize: 10 << 20), 1000 << 20)
        XCTAssertEqual(Gzip.limit(forCompressedSize: 1 << 40), Gzip.absoluteLimit)
    }

    func testALengthBeyondWhatTheFileCanInflateToIsRefusedBeforeInflating() throws {
        // PROTO 4, BINBYTES8 claiming 6 GiB, then 16 MiB of zeros.
        var prefix: [UInt8] = [PickleOpcode.proto, 4, PickleOpcode.binBytes8]
        withUnsafeBytes(of: UInt64(6 << 30).littleEndian) { prefix += $0 }
        let file = try gzip(prefix, zeros: 16 << 20)
        XCTAssertThrowsError(try PickleDataset.decode(file, name: "claim.pkl.gz")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("BINBYTES8 at byte 2 needs 6442450944 bytes"), message)
            XCTAssertTrue(message.contains("may inflate to at most \(Gzip.minimumLimit)"), message)
        }
        let source = try InflatingBuffer(file, fileName: nil)
        XCTAssertThrowsError(try source.fill(toAtLeast: 6 << 30))
        XCTAssertEqual(source.bytes.count, 0, "refused before inflating")
    }

    func testCompressedPicklesStillReadWholeAndDamageIsReported() throws {
        let dataset = try PoseDataset(layout: TestData.tinyLayout,
                                      samples: [try TestData.sequence(frames: 40, name: "a"), try TestData.sequence(frames: 7, name: "b")])
        let plain = PickleDataset.encode(dataset)
        let compressed = try gzip(plain, zeros: 0)
        XCTAssertEqual(try PickleDataset.decode(compressed, name: "ok.pkl.gz"), try PickleDataset.decode(plain, name: "ok.pkl"))
        // Two members, as `cat a.gz b.gz` makes: the pickle split across them still reads.
        let half = plain.count / 2
        let twoMembers = try gzip(Array(plain[..<half]), zeros: 0) + (try gzip(Array(plain[half...]), zeros: 0))
        XCTAssertEqual(try PickleDataset.decode(twoMembers, name: "two.pkl.gz").count, 2)
        XCTAssertThrowsError(try PickleDataset.decode(Array(compressed.dropLast(9)), name: "cut.pkl.gz")) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        // A second pickle after the first one's STOP.
        XCTAssertThrowsError(try PickleDataset.decode(try gzip(plain + plain, zeros: 0), name: "twice.pkl.gz")) { error in
            XCTAssertTrue("\(error)".contains("bytes follow the pickle's STOP"), "\(error)")
        }
    }
}
