import Foundation
import XCTest
@testable import PoseData

/// Reading a mapped dataset leaves its pages out of the process's resident memory: a pass over the
/// samples needs memory for one sample, which is what lets a dataset larger than memory train.
final class ShardResidentMemoryTests: XCTestCase {
    /// 128 joints in one part: 1,536 bytes a frame.
    static let wideLayout = Layout(name: "wide", joints: (0..<128).map { "j\($0)" },
                                   parts: [.init(name: "all", joints: Array(0..<128))], bones: [])

    func testAPassOverShardsKeepsFewOfTheirPagesResident() throws {
        let directory = try TestData.temporaryDirectory(self).appendingPathComponent("wide")
        let frames = 200, samples = 200  // 300 KB a sample, 61 MB in all
        var writer = try ShardWriter(directory: directory, layout: Self.wideLayout, samplesPerShard: 64)
        let frameSize = Self.wideLayout.jointCount * 3
        for index in 0..<samples {
            let values = (0..<(frames * frameSize)).map { Float(($0 + index) % 977) }
            try writer.append(try PoseSequence(layout: Self.wideLayout, fps: 25, values: values, name: "s\(index)"))
        }
        try writer.finish()
        let datasetBytes = samples * frames * frameSize * 4

        let dataset = try PoseIO.load(contentsOf: directory)
        let before = try Self.residentFileBytes()
        var checksum: Float = 0
        for sample in dataset.samples { checksum += sample.values[sample.values.count / 2] }
        for index in stride(from: samples - 1, through: 0, by: -7) { checksum += dataset[index].values[1] }
        let grown = try Self.residentFileBytes() - before

        XCTAssertTrue(checksum.isFinite)
        // Without releasing what was read (and the pages a fault maps around it), the pass leaves
        // most of the 61 MB resident.
        XCTAssertLessThan(grown, datasetBytes / 8,
                          "a pass over \(datasetBytes) bytes of shards left \(grown) more bytes of files resident")
    }

    /// The process's resident file-backed memory (`RssFile` in /proc/self/status), in bytes.
    static func residentFileBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssFile:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else {
            throw MissingResidentFileLine()
        }
        return kilobytes * 1024
    }

    struct MissingResidentFileLine: Error, CustomStringConvertible {
        var description: String { "/proc/self/status has no RssFile line (Linux 4.5 or later has one)" }
    }
}
