import Foundation
import PoseData

/// `export SAMPLE|DATASET to PATH [shards: N]`: JSON, `.pose` (a directory `DIR/` for many), a
/// pickle, or a sharded dataset of N samples per shard.
struct ExportVerb: Verb {
    let signature = VerbSignature(
        name: "export",
        summary: "write a sample or dataset as .json, .pose (DIR/ for one .pose per sample), .pkl / .pkl.gz, or shards (DIR/ with shards: N)",
        positional: [Parameter("what", .sample | .dataset, "the sample or dataset to write")],
        connectors: [Connector("to", Parameter("path", .string, "the file, or a directory ending in /", placeholder: "PATH"))],
        named: [Parameter("shards", .number, "write a sharded dataset (memory-mapped when loaded) of N samples per shard to the directory PATH")],
        returns: "the file written (a file value: .path, .kind)",
        examples: ["export s to \"out/uhr.json\"", "export s to \"out/uhr.pose\"", "export dev to \"out/dev-poses/\"",
                   "export (filter dev max_frames: 50) to \"out/short.pkl\"", "export dev to \"out/dev-shards/\" shards: 16"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let path = try arguments.string("path")
        let url = outputURL(path)
        let dataset: PoseDataset
        switch arguments["what"] {
        case .sample(let sample): dataset = try PoseDataset(layout: sample.layout, samples: [sample])
        case .dataset(let value): dataset = value
        default: return .none
        }
        let samplesPerShard = arguments.has("shards")
            ? try arguments.integer("shards", in: 1...ShardFormat.maximumSamplesPerShard) : nil
        let format: PoseIO.Format
        do {
            format = samplesPerShard == nil ? try PoseIO.format(of: url) : .shards
        } catch {
            throw arguments.error("cannot tell the format of '\(path)' from its name", at: "path",
                                  hint: "end it in .json, .pose, .pkl or .pkl.gz, or in / for a directory of .pose files")
        }
        if format == .pose, dataset.count != 1 {
            throw arguments.error("a .pose file holds one sequence, but the dataset has \(dataset.count) samples", at: "path",
                                  hint: "export one sample (d[0]), or end the path in / to write one .pose per sample")
        }
        try createParentDirectory(of: url, arguments: arguments, name: "path")
        do {
            if let samplesPerShard {
                try PoseIO.saveShards(dataset, to: url, samplesPerShard: samplesPerShard)
            } else {
                try PoseIO.save(dataset, to: url)
            }
        } catch {
            throw arguments.error(error.description, at: "path")
        }
        let isDirectory = format == .poseDirectory || format == .shards
        let written = dataset.count == 1 ? "1 sample" : "\(dataset.count) samples"
        let file = FileResult(path: path, kind: isDirectory ? .directory : .data,
                              caption: "\((path as NSString).lastPathComponent) (\(written), \(Self.describe(format)))")
        context.attach(file)
        return .file(file)
    }

    private static func describe(_ format: PoseIO.Format) -> String {
        switch format {
        case .json: return "HybridSign JSON"
        case .pose: return "pose-format"
        case .poseDirectory: return ".pose files"
        case .pickle: return "pickle"
        case .shards: return "shards"
        }
    }
}
