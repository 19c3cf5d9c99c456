import ArgumentParser
import Foundation
import Platform
import PoseData

/// `hybridsign bench load FILE`: how fast a pickled dataset loads (read, gunzip, parse, convert).
///
/// Prints the median wall time of `--runs` loads, with samples, frames and throughput in MB/s of
/// file bytes; `--json` prints one JSON object `{"seconds", "samples", "frames", "mb_per_s", ...}`.
struct BenchLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Time loading a pickled pose dataset (.pkl or .pkl.gz): median of several runs.")

    @Argument(help: "The pickle to load, for example data/words/train.pkl.")
    var file: String

    @Option(help: "How many timed loads to take the median of.")
    var runs: Int = 5

    @Flag(help: "Print one JSON object instead of a sentence.")
    var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("no file at \(file)") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let clock = ContinuousClock()
        var seconds: [Double] = []
        var dataset: PoseDataset?
        for _ in 0..<runs {
            let start = clock.now
            dataset = try PickleDataset.load(contentsOf: url)
            let elapsed = clock.now - start
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        guard let dataset else { return }
        let median = Self.median(seconds)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        let megabytesPerSecond = median > 0 ? Double(bytes) / 1e6 / median : 0
        let frames = dataset.samples.reduce(0) { $0 + $1.frameCount }
        if json {
            let fields: [(String, String)] = [
                ("seconds", String(format: "%.6f", median)),
                ("samples", "\(dataset.count)"),
                ("frames", "\(frames)"),
                ("mb_per_s", String(format: "%.1f", megabytesPerSecond)),
                ("bytes", "\(bytes)"),
                ("runs", "\(runs)"),
                ("file", JSONText.quoted(file)),
            ]
            print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        } else {
            print(String(format: "%@: %d samples, %d frames, %d joints; median %.3f s of %d runs (%.1f MB/s)",
                         file, dataset.count, frames, dataset.layout.jointCount, median, runs, megabytesPerSecond))
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

}
