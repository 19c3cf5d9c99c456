import Foundation
import Platform

/// What `hybridsign convert` does, as a library call: load any readable input, optionally convert
/// its layout, resample and pick one sample, and save in the format the output path names.
public struct PoseConversion: Sendable {
    /// The file or directory read.
    public var input: URL
    /// The file or directory written.
    public var output: URL
    /// `openpose137` or a layout JSON file; nil keeps the input's layout.
    public var layout: String?
    /// Frames per second of the output; nil keeps each sample's rate.
    public var fps: Double?
    /// One sample to keep, by index or by name or text (``PoseDataset/index(matching:)``); nil keeps all.
    public var sample: String?
    /// Write a sharded dataset of this many samples per shard to the directory `output`; nil writes
    /// the format `output`'s name says.
    public var samplesPerShard: Int?

    public init(input: URL, output: URL, layout: String? = nil, fps: Double? = nil, sample: String? = nil,
                samplesPerShard: Int? = nil) {
        self.input = input
        self.output = output
        self.layout = layout
        self.fps = fps
        self.sample = sample
        self.samplesPerShard = samplesPerShard
    }

    /// Runs the conversion and returns a one-line summary of what was written.
    @discardableResult
    public func run() throws(PoseDataError) -> String {
        if let samplesPerShard { return try writeShards(samplesPerShard: samplesPerShard) }
        let outputFormat = try PoseIO.format(of: output)
        // .pose to .pose with nothing to change: copy the file's contents whole (Z, colours,
        // people and all), which the 2-D sequence in between would not keep.
        if layout == nil, fps == nil, sample == nil || sample == "0", outputFormat == .pose,
           try PoseIO.format(of: input) == .pose {
            let file = try PoseFile(contentsOf: input)
            try file.write(to: output)
            return "wrote 1 sample (\(file.frameCount) frames, \(file.peopleCount) people, \(file.pointCount) points in \(file.components.count) components) to \(output.path)"
        }
        var dataset = try PoseIO.load(contentsOf: input, layout: try targetLayout())
        if let sample { dataset = try dataset.subset([try index(of: sample, in: dataset)]) }
        if let fps {
            dataset = try dataset.resampled(toFPS: fps)
        }
        try PoseIO.save(dataset, to: output)
        let frames = dataset.samples.reduce(0) { $0 + $1.frameCount }
        return "wrote \(dataset.count) sample\(dataset.count == 1 ? "" : "s") (\(frames) frames, layout \(QuotedText.quoted(dataset.layout.name)), \(dataset.layout.jointCount) joints) to \(output.path)"
    }

    private func targetLayout() throws(PoseDataError) -> Layout? {
        try layout.map { (name: String) throws(PoseDataError) -> Layout in try PoseIO.layout(named: name) }
    }

    /// The index of `sample` (an index, or a name or text by ``PoseDataset/index(matching:)``) in
    /// `dataset`.
    private func index(of sample: String, in dataset: PoseDataset) throws(PoseDataError) -> Int {
        if let number = Int(sample) {
            guard dataset.samples.indices.contains(number) else {
                throw PoseDataError.invalidSequence(
                    "--sample \(number): \(input.path) has \(dataset.count) samples (0...\(max(0, dataset.count - 1)))")
            }
            return number
        }
        guard let named = dataset.index(matching: sample) else {
            throw PoseDataError.invalidSequence("--sample \(QuotedText.quoted(sample)): no sample of \(input.path) has that name or text")
        }
        return named
    }

    /// Streams the input into a sharded dataset, one sample at a time (converted and resampled on
    /// the way), so inputs that are read sample by sample (`.pose` directories, shards) need
    /// memory for one shard only.
    private func writeShards(samplesPerShard: Int) throws(PoseDataError) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw PoseDataError.unsupported("\(output.path) is a file: shards go into a directory; give a new or empty directory")
        }
        let target = try targetLayout()
        var writer: ShardWriter?
        do throws(PoseDataError) {
            func append(_ sequence: PoseSequence) throws(PoseDataError) {
                let sample = try fps.map { (rate: Double) throws(PoseDataError) in try sequence.resampled(toFPS: rate) } ?? sequence
                if writer == nil {
                    writer = try ShardWriter(directory: output, layout: sample.layout, samplesPerShard: samplesPerShard)
                }
                try writer?.append(sample)
            }
            if let sample {
                let dataset = try PoseIO.load(contentsOf: input, layout: target)
                try append(dataset[try index(of: sample, in: dataset)])
            } else {
                try PoseIO.forEachSample(contentsOf: input, layout: target, append)
            }
            if writer == nil {
                // No samples: an empty dataset in the input's layout.
                let layout: Layout
                if let target { layout = target } else { layout = try PoseIO.load(contentsOf: input).layout }
                writer = try ShardWriter(directory: output, layout: layout, samplesPerShard: samplesPerShard)
            }
            return try writer!.finish()
        } catch {
            writer?.abandon()
            throw error
        }
    }
}
