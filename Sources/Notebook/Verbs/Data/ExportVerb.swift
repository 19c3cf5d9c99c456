import Foundation
import Platform
import PoseData

/// `export SAMPLE|DATASET to PATH [shards: N]`: JSON, `.pose` (a directory `DIR/` for many), a
/// pickle, or a sharded dataset of N samples per shard; `export TABLE to FILE.csv`: a CSV file.
struct ExportVerb: Verb {
    let signature = VerbSignature(
        name: "export",
        summary: "write a sample or dataset as .json, .pose (DIR/ for one .pose per sample), .pkl / .pkl.gz, or shards (DIR/ with shards: N); a table as .csv",
        positional: [Parameter("what", .sample | .dataset | .table, "the sample, dataset or table to write")],
        connectors: [Connector("to", Parameter("path", .string, "the file, or a directory ending in /", placeholder: "PATH"))],
        named: [Parameter("shards", .number, "write a sharded dataset (memory-mapped when loaded) of N samples per shard to the directory PATH")],
        returns: "the file written (a file value: .path, .kind)",
        examples: ["export s to \"out/uhr.json\"", "export s to \"out/uhr.pose\"", "export dev to \"out/dev-poses/\"",
                   "export (filter dev max_frames: 50) to \"out/short.pkl\"", "export dev to \"out/dev-shards/\" shards: 16",
                   "export (eval m on dev) to \"out/scores.csv\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let path = try arguments.string("path")
        let url = outputURL(path)
        let dataset: PoseDataset
        switch arguments["what"] {
        case .sample(let sample): dataset = try PoseDataset(layout: sample.layout, samples: [sample])
        case .dataset(let value): dataset = value
        case .table(let table): return try exportTable(table, to: path, url: url, arguments: arguments, context: context)
        default: return .none
        }
        if url.pathExtension.lowercased() == "csv" {
            throw arguments.error("a .csv file holds a table, not \(withArticle(arguments["what"].typeName))", at: "path",
                                  hint: "export a table (eval, compare, keypoints s frame: 0) to .csv; samples and datasets to .json, .pose or .pkl")
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
                                  hint: "export one sample (\(arguments.variableName(of: "what") ?? "(…)")[0]), or end the path in / to write one .pose per sample")
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

    /// Writes a table as CSV through the one atomic writer.
    private func exportTable(_ table: Table, to path: String, url: URL, arguments: Arguments,
                             context: VerbContext) throws(NotebookError) -> Value {
        guard url.pathExtension.lowercased() == "csv", !path.hasSuffix("/") else {
            throw arguments.error("a table is written as CSV: end the file name in .csv", at: "path",
                                  hint: "for example: export t to \"out/scores.csv\"")
        }
        guard !arguments.has("shards") else {
            throw arguments.error("shards: splits a dataset; a table is one CSV file", at: "shards")
        }
        try createParentDirectory(of: url, arguments: arguments, name: "path")
        do {
            try AtomicFile.write(Data(table.csv().utf8), to: url)
        } catch {
            throw arguments.error(error.description, at: "path")
        }
        let rows = table.rows.count == 1 ? "1 row" : "\(table.rows.count) rows"
        let file = FileResult(path: path, kind: .data, caption: "\((path as NSString).lastPathComponent) (\(rows), CSV)")
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
