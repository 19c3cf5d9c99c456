import Foundation
import Platform

/// Reading and writing datasets in any supported format, chosen by the file name:
///
/// | name | read | write |
/// |---|---|---|
/// | `*.json` | ``PoseDataset/init(jsonContentsOf:)`` | ``PoseDataset/writeJSON(to:)`` |
/// | `*.pose` | one sample, named after the file | exactly one sample |
/// | a directory | every `*.pose` in it, sorted by name | one `.pose` per sample |
/// | `*.pkl`, `*.pkl.gz` | the safe pickle reader | the pickle writer |
/// | a directory holding `index.json` | a sharded dataset, memory-mapped | ``saveShards(_:to:samplesPerShard:)`` |
///
/// A path is a directory when it ends in `/` or is an existing directory.
public enum PoseIO {
    /// The formats by name.
    public enum Format: String, Sendable {
        case json, pose, poseDirectory, pickle, shards
    }

    /// Samples per shard when a sharded dataset is written without a choice (Docs/data-formats.md
    /// has the measurements behind it).
    public static let defaultSamplesPerShard = 256

    /// The format a path names, or an error listing the supported ones.
    public static func format(of url: URL) throws(PoseDataError) -> Format {
        let path = url.path
        let lowered = url.lastPathComponent.lowercased()
        var isDirectory: ObjCBool = false
        if url.hasDirectoryPath || path.hasSuffix("/")
            || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            let index = url.appendingPathComponent(ShardFormat.indexFileName).path
            return FileManager.default.fileExists(atPath: index) ? .shards : .poseDirectory
        }
        if lowered.hasSuffix(".json") { return .json }
        if lowered.hasSuffix(".pose") { return .pose }
        if lowered.hasSuffix(".pkl") || lowered.hasSuffix(".pkl.gz") || lowered.hasSuffix(".pickle") { return .pickle }
        throw PoseDataError.unsupported(
            "\(path): unknown file type; use .json, .pose, .pkl, .pkl.gz, or a directory (ending in /) of .pose files")
    }

    /// Loads a dataset. With `layout`, the samples are converted to it
    /// (``PoseSequence/converted(to:)``; pickles, which carry no joint names, take it as theirs);
    /// without, each format's own layout is kept (a `.pose` file's components, a JSON file's layout).
    /// A sharded dataset is memory-mapped, not read: its samples are read as they are used (unless
    /// a layout conversion needs them all).
    public static func load(contentsOf url: URL, layout: Layout? = nil) throws(PoseDataError) -> PoseDataset {
        let dataset: PoseDataset
        switch try format(of: url) {
        case .shards:
            dataset = PoseDataset(mapped: try ShardedSamples(directory: url))
        case .json:
            dataset = try PoseDataset(jsonContentsOf: url)
        case .pose:
            dataset = try loadPose(url)
        case .poseDirectory:
            dataset = try loadPoseDirectory(url)
        case .pickle:
            // The layout is applied below: relabelled when the joint counts match, picked by name otherwise.
            dataset = try PickleDataset.load(contentsOf: url)
        }
        guard let layout else { return dataset }
        return try dataset.converted(to: layout)
    }

    /// Saves a dataset in the format its path names (atomically, file by file).
    ///
    /// A `.pose` file holds one sequence: saving a dataset of several samples to one is an error
    /// that says to pick a sample or give a directory, where each sample becomes
    /// `NAME.pose` (its name with `/` and other unsafe characters replaced, or `sample_0007` when
    /// it has none; repeated names get `_2`, `_3`, ...).
    public static func save(_ dataset: PoseDataset, to url: URL) throws(PoseDataError) {
        switch try format(of: url) {
        case .json:
            try dataset.writeJSON(to: url)
        case .pose:
            guard dataset.count == 1 else {
                throw PoseDataError.unsupported(
                    "\(url.path): a .pose file holds one sequence, but the dataset has \(dataset.count) samples; pick one (convert --sample INDEX) or write to a directory (OUTPUT/) to get one .pose per sample")
            }
            try PoseFile(sequence: dataset.samples[0]).write(to: url)
        case .poseDirectory:
            try savePoseDirectory(dataset, to: url)
        case .pickle:
            try PickleDataset.write(dataset, to: url)
        case .shards:
            try saveShards(dataset, to: url, samplesPerShard: defaultSamplesPerShard)
        }
    }

    /// Saves a dataset as shards of `samplesPerShard` samples in the directory `url` (new, empty, or
    /// a sharded dataset, which is replaced), reading a mapped dataset one sample at a time.
    public static func saveShards(_ dataset: PoseDataset, to url: URL, samplesPerShard: Int) throws(PoseDataError) {
        var writer = try ShardWriter(directory: url, layout: dataset.layout, samplesPerShard: samplesPerShard)
        do throws(PoseDataError) {
            for sample in dataset.samples { try writer.append(sample) }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Calls `body` with every sample of the dataset at `url`, converted to `layout` when given, one
    /// at a time: a directory of `.pose` files is read file by file and a sharded dataset sample by
    /// sample, so neither is held in memory whole.
    public static func forEachSample(contentsOf url: URL, layout: Layout? = nil,
                                     _ body: (PoseSequence) throws(PoseDataError) -> Void) throws(PoseDataError) {
        if try format(of: url) == .poseDirectory {
            var first: (name: String, layout: Layout)?
            for file in try poseFiles(in: url) {
                let sequence = try poseSequence(file)
                if let first, first.layout != sequence.layout {
                    throw PoseDataError.invalidSequence(
                        "\(file.path) follows layout \(QuotedText.quoted(sequence.layout.name)), but \(first.name) follows \(QuotedText.quoted(first.layout.name)); a dataset has one layout")
                }
                if first == nil { first = (file.lastPathComponent, sequence.layout) }
                try body(try layout.map { (target: Layout) throws(PoseDataError) in try sequence.converted(to: target) } ?? sequence)
            }
            return
        }
        for sample in try load(contentsOf: url).samples {
            try body(try layout.map { (target: Layout) throws(PoseDataError) in try sample.converted(to: target) } ?? sample)
        }
    }

    /// Saves one sequence (a dataset of one sample) in the format its path names.
    public static func save(_ sequence: PoseSequence, to url: URL) throws(PoseDataError) {
        try save(try PoseDataset(layout: sequence.layout, samples: [sequence]), to: url)
    }

    /// A layout by name (`openpose137`) or from a layout JSON file.
    public static func layout(named specification: String) throws(PoseDataError) -> Layout {
        let key = specification.lowercased().filter { $0 != "-" && $0 != "_" }
        if key == "openpose137" || key == "openpose" { return .openPose137 }
        guard specification.lowercased().hasSuffix(".json") else {
            throw PoseDataError.unsupported(
                "unknown layout \(QuotedText.quoted(specification)): give openpose137 or a layout JSON file (Docs/data-formats.md)")
        }
        return try Layout(contentsOf: URL(fileURLWithPath: specification))
    }

    private static func loadPose(_ url: URL) throws(PoseDataError) -> PoseDataset {
        let sequence = try poseSequence(url)
        return try PoseDataset(layout: sequence.layout, samples: [sequence])
    }

    /// The first person of a `.pose` file, named after the file; errors name the file.
    private static func poseSequence(_ url: URL) throws(PoseDataError) -> PoseSequence {
        let file = try PoseFile(contentsOf: url)
        do {
            var sequence = try file.sequence()
            sequence.name = stem(of: url)
            return sequence
        } catch {
            switch error {
            case .invalidSequence(let message): throw .invalidSequence("\(url.path): \(message)")
            case .invalidLayout(let message): throw .invalidLayout("\(url.path): \(message)")
            case .unsupported(let message): throw .unsupported("\(url.path): \(message)")
            case .malformed, .io: throw error
            }
        }
    }

    private static func loadPoseDirectory(_ url: URL) throws(PoseDataError) -> PoseDataset {
        var samples: [PoseSequence] = []
        try forEachSample(contentsOf: url) { samples.append($0) }
        return try PoseDataset(layout: samples[0].layout, samples: samples)
    }

    /// The `.pose` files in a directory, sorted by name; at least one.
    private static func poseFiles(in url: URL) throws(PoseDataError) -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
                .filter { $0.lowercased().hasSuffix(".pose") && !$0.hasPrefix(".") }.sorted()
        } catch {
            throw PoseDataError.io("cannot list \(url.path): \(error.localizedDescription)")
        }
        guard !names.isEmpty else { throw PoseDataError.io("\(url.path) holds no .pose files") }
        return names.map { url.appendingPathComponent($0) }
    }

    private static func savePoseDirectory(_ dataset: PoseDataset, to url: URL) throws(PoseDataError) {
        do { try Directories.make(url.path) } catch { throw PoseDataError.io(error.description) }
        var used: Set<String> = []
        for (index, sample) in dataset.samples.enumerated() {
            let base = sample.name.map(safeFileName) ?? String(format: "sample_%04d", index)
            var name = base
            var suffix = 2
            while used.contains(name) {
                name = "\(base)_\(suffix)"
                suffix += 1
            }
            used.insert(name)
            try PoseFile(sequence: sample).write(to: url.appendingPathComponent(name + ".pose"))
        }
    }

    /// A file name from a sample name: path separators, control characters and leading dots replaced.
    static func safeFileName(_ name: String) -> String {
        var result = String(name.unicodeScalars.map { scalar -> Character in
            if scalar == "/" || scalar == "\\" || scalar == ":" || scalar.value < 0x20 { return "_" }
            return Character(scalar)
        })
        while result.hasPrefix(".") { result = "_" + result.dropFirst() }
        if result.isEmpty { result = "_" }
        return String(result.prefix(200))
    }

    /// A file's name without `.pose`.
    static func stem(of url: URL) -> String {
        let name = url.lastPathComponent
        return name.lowercased().hasSuffix(".pose") ? String(name.dropLast(5)) : name
    }
}
