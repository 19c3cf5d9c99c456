import Foundation
import Platform
import PoseData
import Render

/// `render SAMPLE [vs SAMPLE…] to DIR`: PNG frames and a contact sheet, or panels side by side;
/// `to FILE.gif`: an animated GIF of the same.
struct RenderVerb: Verb {
    let signature = VerbSignature(
        name: "render",
        summary: "draw a sample as PNG frames and a contact sheet, or an animated GIF; several samples side by side",
        positional: [Parameter("what", .sample | .dataset, "the sample; a dataset draws its first \(RenderVerb.datasetPanels) samples side by side")],
        connectors: [Connector("vs", Parameter("others", .sample | .dataset, "drawn beside it, frame by frame; repeat vs for more panels", variadic: true)),
                     Connector("to", Parameter("path", .string, "the output directory (created when missing), or a .gif (or .mp4, with ffmpeg) file for an animation",
                                               placeholder: "DIR|FILE.gif"))],
        named: [Parameter("size", .number, "width and height of a frame in pixels", default: .number(512)),
                Parameter("sheet", .bool, "also write DIR/sheet.png, a contact sheet", default: .bool(true)),
                Parameter("caption", .bool, "draw the text, frame number and time under each frame", default: .bool(true)),
                Parameter("parts", .list, "only these parts of the layout, for example [\"body\", \"right_hand\"]"),
                Parameter("background", .string, "dark, light, white, black, transparent or #RRGGBB", default: .string("dark")),
                Parameter("labels", .list, "one label per panel (default: names or texts); one sample's label is its caption"),
                Parameter("fps", .number, "playback rate of a .gif or .mp4 in frames per second (default: the sample's frame rate)")],
        returns: "a rendering: show it, or use .dir, .sheet and .frames (paths); for a .gif, an animation (.path, .frames, .fps)",
        examples: ["render dev[3] to \"out/uhr\"", "render s to \"out/s\" size: 256 parts: [\"body\", \"right_hand\"]",
                   "render (find dev \"Uhr\") vs (find dev \"Ohr\") to \"out/uhr-ohr\"",
                   "render dev[0] to \"out/w.gif\"", "render (head dev 4) to \"out/four\"", "render (sample m \"Uhr\") vs (find dev \"Uhr\") to \"out/cmp.gif\" fps: 6"])

    /// How many samples of a dataset `render` draws side by side.
    static let datasetPanels = 6

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        var others: [PoseSequence] = []
        let first: PoseSequence
        if case .dataset(let dataset) = arguments["what"], dataset.count > 1 {
            // A dataset is drawn as a grid: its first samples in panels side by side (and as the
            // sheet's rows), as `render a vs b vs …` draws them.
            guard !arguments.has("others") else {
                throw arguments.error("render draws a dataset's samples side by side already; vs adds panels to one sample", at: "others",
                                      hint: "render \(arguments.variableName(of: "what") ?? "d")[0] vs … to compare one sample with others")
            }
            let shown = min(dataset.count, Self.datasetPanels)
            first = dataset[0]
            others = (1..<shown).map { dataset[$0] }
            if dataset.count > shown {
                context.output.print("drawing the first \(shown) of \(dataset.count) samples; pick others with d[10:16] or filter")
            }
        } else {
            first = try arguments.sample("what")
        }
        if others.isEmpty, case .list(let items) = arguments["others"] {
            let written = arguments.elementVariableNames(of: "others") ?? []
            for (index, item) in items.enumerated() {
                let variable = index < written.count ? written[index] : nil
                others.append(try Arguments.sample(from: item, verb: "render", variable: variable) { message, hint in
                    arguments.error(message, at: "others", hint: hint)
                })
            }
        }
        let path = try arguments.string("path")
        var options = try renderOptions(arguments, layout: first.layout)
        let sequences = [first] + others
        var labels = sequences.enumerated().map { $0.element.label(index: $0.offset) }
        if arguments.has("labels") {
            labels = try arguments.strings("labels")
            guard labels.count == sequences.count else {
                throw arguments.error("render draws \(sequences.count) panels but got \(labels.count) labels", at: "labels",
                                      hint: "give one label per sample, for example labels: [\"generated\", \"reference\"]")
            }
        }
        if others.isEmpty, arguments.has("labels") { options.captionText = labels[0] }
        let target = try RenderTarget(path: path, arguments: arguments)
        switch target {
        case .frames: break
        case .gif, .video:
            return try AnimationResult.render(sequences, labels: labels, to: path, video: target == .video, options: options,
                                              arguments: arguments, context: context)
        }
        guard !arguments.has("fps") else {
            throw arguments.error("fps: sets the playback rate of an animation; PNG frames have none", at: "fps",
                                  hint: "render to a .gif file to animate: render s to \"out/s.gif\" fps: \(formatNumber(first.fps))")
        }
        let sheet = try arguments.bool("sheet")
        let frameCount = sequences.map(\.frameCount).max() ?? 0
        let progress = context.progress("render", total: frameCount + (sheet ? 1 : 0))
        defer { context.output.clearStatus() }
        let report: RenderProgress = { done, _ in progress.update(done) }
        let isCancelled: RenderCancellation = { context.interrupt.isSet }
        let directory = outputURL(path)
        let started = ProgressReporter.monotonicSeconds()
        let files: RenderedFiles
        if others.isEmpty {
            files = try PNGRender.frames(of: first, to: directory, options: options, sheet: sheet,
                                         progress: report, isCancelled: isCancelled)
        } else {
            files = try PNGRender.comparison(sequences, labels: labels, to: directory, options: options, sheet: sheet,
                                             progress: report, isCancelled: isCancelled)
        }
        let seconds = ProgressReporter.monotonicSeconds() - started
        // Paths as the user wrote them, so notebooks link them relative to where they are exported.
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let framePaths = files.frames.map { base + "/" + $0.lastPathComponent }
        let sheetPath = files.sheet.map { base + "/" + $0.lastPathComponent }
        let what = labels.map { "'\($0)'" }.joined(separator: " vs ")
        if let sheetPath { context.attach(FileResult(path: sheetPath, kind: .image, caption: "\(others.isEmpty ? "contact" : "comparison") sheet of \(what)")) }
        context.attach(FileResult(path: base, kind: .directory, caption: "\(framePaths.count) frames of \(what)"))
        return .object(RenderResult(directory: base, frames: framePaths, sheet: sheetPath, labels: labels,
                                    width: options.width, height: options.height, seconds: seconds))
    }

    private func renderOptions(_ arguments: Arguments, layout: Layout) throws(NotebookError) -> RenderOptions {
        let size = try arguments.integer("size", in: 16...4096)
        let backgroundName = try arguments.string("background")
        guard let background = Color(named: backgroundName) else {
            throw arguments.error("unknown background '\(backgroundName)'", at: "background",
                                  hint: "use " + Color.names.joined(separator: ", ") + " or #RRGGBB")
        }
        var options = RenderOptions(width: size, height: size, background: background)
        options.caption = try arguments.bool("caption")
        if arguments.has("parts") {
            let names = try arguments.strings("parts")
            let known = layout.parts.map(\.name)
            for name in names where !known.contains(name) {
                throw arguments.error("layout '\(layout.name)' has no part '\(name)'\(Suggestions.didYouMean(name, among: known))",
                                      at: "parts", hint: "its parts: " + known.joined(separator: ", "))
            }
            options.parts = Set(names)
        }
        return options
    }
}
