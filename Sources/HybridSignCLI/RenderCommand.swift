import ArgumentParser
import Foundation
import Platform
import PoseData
import Render

/// `hybridsign render INPUT [--sample N | --name NAME] --out DIR|FILE.gif [--size 512] [--sheet] [--vs OTHER]`:
/// draws one sample as PNG frames (and a contact sheet) or an animated GIF, or beside another
/// sample for comparison.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a pose sample as PNG frames, a contact sheet, an animated GIF, or a side-by-side comparison.",
        discussion: """
            Writes OUT/frame_0000.png ... (one camera for the whole sample) and, with --sheet, OUT/sheet.png;
            when OUT ends in .gif, an animated GIF that plays at the sample's frame rate (or --fps); in .mp4,
            a video through the ffmpeg on the PATH.
            With --vs OTHER the sample is drawn beside a sample of OTHER (the one with the same name, else
            --vs-sample / --vs-name), aligned by frame; the shorter one holds its last frame.
            """)

    @Argument(help: "The dataset or pose file to read.")
    var input: String

    @Option(help: "Index of the sample to draw (0-based).")
    var sample: Int?

    @Option(help: "Name (or text) of the sample to draw.")
    var name: String?

    @Option(help: "Output directory (created when missing), or a .gif (or .mp4, with ffmpeg) file for an animation.")
    var out: String

    @Option(help: "Playback rate of a .gif or .mp4 in frames per second (default: the sample's frame rate).")
    var fps: Double?

    @Option(help: "Width and height of each frame in pixels.")
    var size: Int = 512

    @Flag(help: "Also write a contact sheet OUT/sheet.png.")
    var sheet = false

    @Option(help: "A second dataset or pose file to draw beside the first.")
    var vs: String?

    @Option(help: "Index of the sample in --vs (default: the one matching the first sample's name, else the same index).")
    var vsSample: Int?

    @Option(help: "Name (or text) of the sample in --vs.")
    var vsName: String?

    @Option(help: "Labels of the two panels, comma separated (default: the samples' names).")
    var labels: String?

    @Option(help: "Background: dark, light, white, black, transparent or #RRGGBB.")
    var background: String = "dark"

    @Option(help: "Parts to draw, comma separated (for example body,right_hand); default all.")
    var parts: String?

    @Flag(help: "Leave out the caption (text, frame number, time).")
    var noCaption = false

    @Flag(help: "Encode PNGs faster but larger.")
    var fast = false

    @Flag(help: "Print no progress.")
    var quiet = false

    mutating func validate() throws {
        if sample != nil && name != nil { throw ValidationError("give --sample or --name, not both") }
        if vsSample != nil && vsName != nil { throw ValidationError("give --vs-sample or --vs-name, not both") }
        guard (16...Canvas.maximumSide).contains(size) else {
            throw ValidationError("--size must be 16...\(Canvas.maximumSide), not \(size)")
        }
        _ = try Self.parseBackground(background)
        if let fps, !(fps.isFinite && fps > 0) { throw ValidationError("--fps must be a positive number, not \(fps)") }
        if fps != nil, !isAnimation { throw ValidationError("--fps sets the rate of an animation: give --out a .gif or .mp4 file") }
        if isAnimation, sheet { throw ValidationError("--sheet writes a contact sheet beside PNG frames; an animation has none") }
    }

    private var isAnimation: Bool { ["gif", "mp4"].contains((out as NSString).pathExtension.lowercased()) }

    func run() throws {
        let dataset = try CommandSupport.loadDataset(input)
        let first = try Self.pick(from: dataset, index: sample, name: name, file: input)
        var options = RenderOptions(width: size, height: size, background: try Self.parseBackground(background))
        options.caption = !noCaption
        if let parts {
            let names = Set(parts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let known = Set(first.layout.parts.map(\.name))
            let unknown = names.subtracting(known)
            guard unknown.isEmpty else {
                throw ValidationError("unknown part(s) \(unknown.sorted().joined(separator: ", ")); layout '\(first.layout.name)' has \(first.layout.parts.map(\.name).joined(separator: ", "))")
            }
            options.parts = names
        }
        let directory = URL(fileURLWithPath: out)
        let started = Date()
        // A line rewritten in place when standard error is a terminal, otherwise a plain line now
        // and then (no runs of \r in logs).
        let output = ConsoleDisplay()
        var progress: ProgressReporter?
        let report: RenderProgress = { done, total in
            guard !quiet else { return }
            if progress == nil { progress = ProgressReporter(title: "rendering", total: total, output: output) }
            progress?.update(done)
        }
        defer { output.clearStatus() }
        var sequences = [first]
        var panelLabels: [String]?
        if let vs {
            sequences.append(try secondSample(beside: first, from: vs))
            if let labels {
                panelLabels = labels.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard panelLabels?.count == 2 else { throw ValidationError("--labels needs two labels, for example generated,reference") }
            }
        }
        if isAnimation {
            let info = (out as NSString).pathExtension.lowercased() == "mp4"
                ? try VideoRender.mp4(sequences, labels: panelLabels, to: directory, options: options, fps: fps, progress: report)
                : try AnimatedRender.gif(sequences, labels: panelLabels, to: directory, options: options, fps: fps, progress: report)
            let seconds = Date().timeIntervalSince(started)
            print("wrote \(info.frames) frames at \(NumberText.format(info.fps)) fps (\(info.bytes) bytes) to \(directory.path) in \(String(format: "%.2f", seconds)) s")
            return
        }
        let files: RenderedFiles
        if sequences.count > 1 {
            files = try PNGRender.comparison(sequences, labels: panelLabels, to: directory, options: options,
                                             sheet: sheet, fast: fast, progress: report)
        } else {
            files = try PNGRender.frames(of: first, to: directory, options: options, sheet: sheet, fast: fast, progress: report)
        }
        let seconds = Date().timeIntervalSince(started)
        print("wrote \(files.frames.count) frames to \(directory.path)\(files.sheet.map { " and \($0.lastPathComponent)" } ?? "") in \(String(format: "%.2f", seconds)) s")
    }

    /// The sample of `file` drawn beside `first`: --vs-sample / --vs-name, else the one matching
    /// the first's name (``PoseDataset/index(matching:)``), else the one at the same index.
    private func secondSample(beside first: PoseSequence, from file: String) throws -> PoseSequence {
        let other = try CommandSupport.loadDataset(file)
        if vsSample != nil || vsName != nil {
            return try Self.pick(from: other, index: vsSample, name: vsName, file: file)
        }
        if let name = first.name, let match = other.index(matching: name) { return other[match] }
        return try Self.pick(from: other, index: sample ?? 0, name: nil, file: file)
    }

    /// The sample at `index` or matching `name` (``PoseDataset/index(matching:)``); the first when
    /// neither is given.
    static func pick(from dataset: PoseDataset, index: Int?, name: String?, file: String) throws -> PoseSequence {
        guard dataset.count > 0 else { throw ValidationError("\(file) holds no samples") }
        if let name {
            guard let match = dataset.index(matching: name).map({ dataset[$0] }) else {
                let known = dataset.samples.prefix(8).compactMap { $0.name ?? $0.text }.joined(separator: ", ")
                throw ValidationError("\(file) has no sample named '\(name)' (some names: \(known))")
            }
            return match
        }
        let chosen = index ?? 0
        guard chosen >= 0, chosen < dataset.count else {
            throw ValidationError("sample \(chosen) is out of range: \(file) has \(dataset.count) samples (0...\(dataset.count - 1))")
        }
        return dataset[chosen]
    }

    static func parseBackground(_ text: String) throws -> Color {
        guard let color = Color(named: text) else {
            throw ValidationError("--background must be \(Color.names.joined(separator: ", ")) or #RRGGBB, not '\(text)'")
        }
        return color
    }
}
