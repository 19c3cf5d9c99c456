import Foundation
import Platform
import PoseData

/// The example images of Docs/render.md and preview images for looking at the renderer
/// (`hybridsign tool docs-images`, `hybridsign tool previews`).
public enum ExampleImages {
    /// Writes `render-sheet-uhr.png` (a contact sheet of `uhr`), `render-comparison.png` (`uhr`
    /// beside `ohr`, one frame) and `render-plot.png` (a made-up training curve: exponential decay
    /// with seeded noise, a dev point every 200 steps) into `directory`, made when missing.
    /// Returns the files written.
    @discardableResult
    public static func writeDocsImages(uhr: PoseSequence, ohr: PoseSequence, to directory: URL) throws -> [URL] {
        let files = ["render-sheet-uhr.png", "render-comparison.png", "render-plot.png"].map(directory.appendingPathComponent)
        do { try Directories.makeWritable(directory.path) } catch { throw RenderError(error) }
        let sheet = ContactSheet(options: RenderOptions(width: 256, height: 256), tileWidth: 96, tileHeight: 96, every: 4, columns: 4)
        try sheet.write(uhr, to: files[0])

        var panel = RenderOptions(width: 192, height: 192)
        panel.captionText = nil
        let comparison = try Comparison([uhr, ohr], labels: ["Uhr (dev)", "Ohr (dev)"], options: panel)
        try PNG.write(comparison.frame(min(24, comparison.frameCount - 1)), to: files[1])

        var generator = SeededGenerator(seed: 7)
        let steps = Array(stride(from: 0.0, through: 2000, by: 10))
        let train = steps.map { 0.05 + 1.6 * exp(-$0 / 350) * (1 + 0.25 * (generator.nextUnit() - 0.5)) }
        let evalSteps = Array(stride(from: 0.0, through: 2000, by: 200))
        let dev = evalSteps.map { 0.09 + 1.5 * exp(-$0 / 420) }
        let plot = LinePlot(series: [.init(name: "train", x: steps, y: train), .init(name: "dev", x: evalSteps, y: dev)],
                            title: "MeanFlow loss", xLabel: "step", yLabel: "loss", logY: true, width: 384, height: 256)
        try plot.write(to: files[2])
        return files
    }

    /// Writes `preview-frame.png` (frame 20 of `sample`, or its last, full size),
    /// `preview-synthetic.png` (a contact sheet of the synthetic signer) and `preview-font.png`
    /// (every character of the bitmap font, doubled) into `directory`. Returns the files written.
    @discardableResult
    public static func writePreviews(of sample: PoseSequence, to directory: URL) throws -> [URL] {
        let files = ["preview-frame.png", "preview-synthetic.png", "preview-font.png"].map(directory.appendingPathComponent)
        do { try Directories.makeWritable(directory.path) } catch { throw RenderError(error) }
        let renderer = SkeletonRenderer(options: RenderOptions())
        try PNG.write(renderer.render(frame: min(20, sample.frameCount - 1), of: sample, camera: renderer.camera(for: [sample])), to: files[0])
        let synthetic = try SyntheticSigner.sequence(frames: 60, seed: 1)
        try ContactSheet(options: RenderOptions(width: 256, height: 256), tileWidth: 128, tileHeight: 128, maxTiles: 12)
            .write(synthetic, to: files[1])
        let characters = (32..<127).map { Character(UnicodeScalar($0)!) }
            + Array("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ€„“”–…«»¿¡°§£ČčŠšŽžŘřĚěŐőŰűŒœ漢")
        var glyphs = try Canvas(width: 6 * 32 * 2 + 8, height: 12 * 2 * 6 + 8, background: .white)
        for (index, character) in characters.enumerated() {
            glyphs.drawText(String(character), x: 4 + (index % 32) * 12, y: 4 + (index / 32) * 24, scale: 2, color: .black)
        }
        try PNG.write(glyphs, to: files[2])
        return files
    }
}
