import Foundation

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

    public init(input: URL, output: URL, layout: String? = nil, fps: Double? = nil, sample: String? = nil) {
        self.input = input
        self.output = output
        self.layout = layout
        self.fps = fps
        self.sample = sample
    }

    /// Runs the conversion and returns a one-line summary of what was written.
    @discardableResult
    public func run() throws(PoseDataError) -> String {
        let outputFormat = try PoseIO.format(of: output)
        // .pose to .pose with nothing to change: copy the file's contents whole (Z, colours,
        // people and all), which the 2-D sequence in between would not keep.
        if layout == nil, fps == nil, sample == nil || sample == "0", outputFormat == .pose,
           try PoseIO.format(of: input) == .pose {
            let file = try PoseFile(contentsOf: input)
            try file.write(to: output)
            return "wrote 1 sample (\(file.frameCount) frames, \(file.peopleCount) people, \(file.pointCount) points in \(file.components.count) components) to \(output.path)"
        }
        let target = try layout.map { (name: String) throws(PoseDataError) -> Layout in try PoseIO.layout(named: name) }
        var dataset = try PoseIO.load(contentsOf: input, layout: target)
        if let sample {
            let index: Int
            if let number = Int(sample) {
                guard dataset.samples.indices.contains(number) else {
                    throw PoseDataError.invalidSequence(
                        "--sample \(number): \(input.path) has \(dataset.count) samples (0...\(max(0, dataset.count - 1)))")
                }
                index = number
            } else if let matched = dataset.index(matching: sample) {
                index = matched
            } else {
                throw PoseDataError.invalidSequence("--sample '\(sample)': no sample of \(input.path) has that name or text")
            }
            dataset = try dataset.subset([index])
        }
        if let fps {
            dataset = try dataset.resampled(toFPS: fps)
        }
        try PoseIO.save(dataset, to: output)
        let frames = dataset.samples.reduce(0) { $0 + $1.frameCount }
        return "wrote \(dataset.count) sample\(dataset.count == 1 ? "" : "s") (\(frames) frames, layout '\(dataset.layout.name)', \(dataset.layout.jointCount) joints) to \(output.path)"
    }
}
