import Foundation
import XCTest
@testable import PoseData

/// Mutated pickles never crash or hang the reader: every input either loads or throws
/// ``PoseDataError``. Runs 10 000 cases by default (about half a second in release); `HYBRIDSIGN_FUZZ_CASES=100000` runs more.
final class PickleFuzzTests: XCTestCase {
    /// SplitMix64: a small seeded generator, so a failing case can be replayed from its seed.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private enum Mutation: CaseIterable {
        case bitFlips, byteReplacements, interestingBytes, truncation, splice, repeatedChunk, deletion, opcodeRun
    }

    /// Lengths and opcodes that stress the reader when written over a byte.
    /// Every pickle opcode, protocols 0–5.
    private static let opcodes: [UInt8] = Array("(.012FIJKLMNPQRSTUVXabcd}eghijl]opqrst)uGBC".utf8) + Array(0x80...0x98)

    private static let interesting: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x28, 0x2E, 0x30, 0x31, 0x52, 0x62, 0x68, 0x71, 0x74, 0x93, 0x94]

    private func mutate(_ input: [UInt8], with mutation: Mutation, other: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return bytes }
        switch mutation {
        case .bitFlips:
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            }
        case .byteReplacements:
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case .interestingBytes:
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = Self.interesting.randomElement(using: &rng)!
            }
        case .truncation:
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
        case .splice:
            let cut = Int.random(in: 0...bytes.count, using: &rng)
            let from = Int.random(in: 0...other.count, using: &rng)
            bytes = Array(bytes[..<cut]) + Array(other[from...])
        case .repeatedChunk:
            let start = Int.random(in: 0..<bytes.count, using: &rng)
            let length = Int.random(in: 1...min(64, bytes.count - start), using: &rng)
            let chunk = bytes[start..<(start + length)]
            let times = Int.random(in: 2...50, using: &rng)
            bytes.insert(contentsOf: (0..<times).flatMap { _ in chunk }, at: start)
        case .opcodeRun:
            // A run of opcodes and small operands in place of real ones exercises the stack machine.
            let start = Int.random(in: 0..<bytes.count, using: &rng)
            let run = (0..<Int.random(in: 1...24, using: &rng)).map { _ in
                Bool.random(using: &rng) ? Self.opcodes.randomElement(using: &rng)! : UInt8.random(in: 0...8, using: &rng)
            }
            bytes.replaceSubrange(start..<min(bytes.count, start + run.count), with: run)
        case .deletion:
            let start = Int.random(in: 0..<bytes.count, using: &rng)
            let length = Int.random(in: 1...min(32, bytes.count - start), using: &rng)
            bytes.removeSubrange(start..<(start + length))
        }
        return bytes
    }

    func testMutatedPicklesOnlyEverThrowPoseDataError() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: PickleTestSupport.fixtures.path)
            .filter { $0.hasSuffix(".pkl") || $0.hasSuffix(".gz") }.sorted()
        var corpus = try names.map { try PickleTestSupport.bytes(PickleTestSupport.fixture($0)) }
        // Gzip fixtures are fuzzed both compressed and as the pickle inside.
        for name in names where name.hasSuffix(".gz") {
            corpus.append(try Gzip.inflate(try PickleTestSupport.bytes(PickleTestSupport.fixture(name))))
        }
        XCTAssertGreaterThan(corpus.count, 20)

        let cases = ProcessInfo.processInfo.environment["HYBRIDSIGN_FUZZ_CASES"].flatMap(Int.init) ?? 10_000
        let seed = ProcessInfo.processInfo.environment["HYBRIDSIGN_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED
        var rng = SplitMix64(state: seed)
        var loaded = 0, rejected = 0
        for index in 0..<cases {
            let input = corpus.randomElement(using: &rng)!
            let other = corpus.randomElement(using: &rng)!
            var bytes = input
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                bytes = mutate(bytes, with: Mutation.allCases.randomElement(using: &rng)!, other: other, rng: &rng)
            }
            do {
                let dataset = try PickleDataset.decode(bytes, name: "case-\(index)")
                // Whatever loads is whole: every sample has whole frames of the dataset's layout.
                for sample in dataset.samples {
                    XCTAssertEqual(sample.values.count % (dataset.layout.jointCount * 3), 0)
                    XCTAssertNil(sample.firstNonFinite())
                }
                loaded += 1
            } catch {
                XCTAssertFalse("\(error)".isEmpty)
                rejected += 1
            }
            // The raw reader sees the same bytes without the dataset layer's checks.
            _ = try? PickleReader.read(bytes)
        }
        XCTAssertEqual(loaded + rejected, cases)
        XCTAssertGreaterThan(rejected, cases / 10, "mutations should break most inputs")
    }
}
