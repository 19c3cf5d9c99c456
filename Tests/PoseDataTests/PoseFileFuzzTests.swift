import Foundation
import XCTest
@testable import PoseData

/// Mutated `.pose` files must give an error or a valid file, never a crash, a hang or an
/// allocation the input cannot back. Set HYBRIDSIGN_FUZZ_CASES for more cases than the default.
final class PoseFileFuzzTests: XCTestCase {
    private var cases: Int {
        ProcessInfo.processInfo.environment["HYBRIDSIGN_FUZZ_CASES"].flatMap(Int.init) ?? 3000
    }

    private func seeds() throws -> [[UInt8]] {
        try ["openpose-posefmt.pose", "version01.pose", "holistic-cut.pose"].map {
            try [UInt8](Data(contentsOf: TestData.fixture($0)))
        }
    }

    func testMutatedFilesNeverCrash() throws {
        let inputs = try seeds()
        var generator = SeededGenerator(seed: 0x5EED_F00D)
        var accepted = 0, rejected = 0
        for index in 0..<cases {
            // The large Holistic seed is used less often: it is slow only because it is big.
            let seed = inputs[index % 7 == 6 ? 2 : index % 2]
            var bytes = seed
            let mutation = generator.below(6)
            switch mutation {
            case 0: // bit flips
                for _ in 0...generator.below(8) {
                    let i = generator.below(bytes.count)
                    bytes[i] ^= UInt8(1) << UInt8(generator.below(8))
                }
            case 1: // truncation
                bytes = Array(bytes.prefix(generator.below(bytes.count + 1)))
            case 2: // random bytes over a short run, biased to the header where the counts are
                let start = generator.below(min(bytes.count, 400))
                for i in start..<min(bytes.count, start + 1 + generator.below(6)) {
                    bytes[i] = UInt8(truncatingIfNeeded: generator.next())
                }
            case 3: // splice two files
                let other = inputs[generator.below(inputs.count)]
                let cut = generator.below(bytes.count + 1)
                let from = generator.below(other.count + 1)
                bytes = Array(bytes.prefix(cut)) + Array(other[from...])
            case 4: // extreme values in a 16- or 32-bit count
                let i = generator.below(max(1, min(bytes.count - 4, 600)))
                let fill: UInt8 = generator.below(2) == 0 ? 0xFF : 0x00
                for k in 0..<(generator.below(2) == 0 ? 2 : 4) where i + k < bytes.count { bytes[i + k] = fill }
            default: // duplicate or delete a run
                let i = generator.below(bytes.count)
                let length = 1 + generator.below(16)
                if generator.below(2) == 0 {
                    bytes.insert(contentsOf: bytes[i..<min(bytes.count, i + length)], at: i)
                } else {
                    bytes.removeSubrange(i..<min(bytes.count, i + length))
                }
            }
            do {
                let file = try PoseFile(bytes: bytes, file: "fuzz")
                // Whatever reads must be consistent and survive the conversions.
                XCTAssertLessThanOrEqual((file.data.count + file.confidence.count) * 4, bytes.count)
                _ = try? file.sequence()
                _ = try? file.encoded()
                accepted += 1
            } catch {
                XCTAssertFalse("\(error)".isEmpty)
                rejected += 1
            }
        }
        XCTAssertEqual(accepted + rejected, cases)
        XCTAssertGreaterThan(rejected, 0)
        XCTAssertGreaterThan(accepted, 0)
    }
}
