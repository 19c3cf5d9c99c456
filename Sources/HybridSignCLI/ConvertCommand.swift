import ArgumentParser
import Foundation
import PoseData

/// `hybridsign convert INPUT OUTPUT`: pose data from one format (and layout, and frame rate) to another.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert pose data between .pose, .json and .pkl (and layouts, and frame rates).",
        discussion: """
            The formats follow the file names: .json (HybridSign's JSON, Docs/data-formats.md), \
            .pose (pose-format, one sequence per file), a directory ending in / (one .pose per sample), \
            .pkl or .pkl.gz (the seed's pickles). A .pose input keeps its own layout unless --layout \
            converts it; MediaPipe Holistic .pose files convert to openpose137. With --shards N the output \
            is a sharded dataset (a directory of safetensors shards of N samples and index.json) that \
            load and train memory-map instead of reading; a directory holding index.json is read as one.
            """)

    @Argument(help: "The file (or directory of .pose files) to read.")
    var input: String

    @Argument(help: "The file (or directory, ending in /) to write.")
    var output: String

    @Option(help: "Convert to this layout: openpose137, or a layout JSON file.")
    var layout: String?

    @Option(help: "Resample every sample to this many frames per second.")
    var fps: Double?

    @Option(help: "Keep only this sample (index or name); needed to write one .pose from a dataset.")
    var sample: String?

    @Option(help: "Write a sharded dataset of N samples per shard to the directory OUTPUT.")
    var shards: Int?

    func validate() throws {
        if let shards, !(1...ShardFormat.maximumSamplesPerShard).contains(shards) {
            throw ValidationError("--shards must be 1...\(ShardFormat.maximumSamplesPerShard) samples per shard")
        }
    }

    func run() throws {
        let conversion = PoseConversion(
            input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output, isDirectory: output.hasSuffix("/")),
            layout: layout, fps: fps, sample: sample, samplesPerShard: shards)
        do {
            print(try conversion.run())
        } catch {
            FileHandle.standardError.write(Data("hybridsign convert: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
