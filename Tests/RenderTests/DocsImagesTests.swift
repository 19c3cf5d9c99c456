import Foundation
import XCTest
@testable import Render
import PoseData

/// Writes the example images of Docs/render.md when `HYBRIDSIGN_DOCS_IMAGES` names a directory
/// (`HYBRIDSIGN_DOCS_IMAGES=$PWD/Docs/images swift test ... --filter DocsImagesTests`); skipped otherwise.
final class DocsImagesTests: XCTestCase {
    func testWriteDocsImages() throws {
        guard let path = ProcessInfo.processInfo.environment["HYBRIDSIGN_DOCS_IMAGES"] else {
            throw XCTSkip("set HYBRIDSIGN_DOCS_IMAGES to a directory to write the docs images")
        }
        let directory = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let words = try FixtureWords.load()
        let uhr = try XCTUnwrap(words.first { $0.text == "Uhr" }), ohr = try XCTUnwrap(words.first { $0.text == "Ohr" })

        let sheet = ContactSheet(options: RenderOptions(width: 256, height: 256), tileWidth: 96, tileHeight: 96,
                                 every: 4, columns: 4)
        try sheet.write(uhr, to: directory.appendingPathComponent("render-sheet-uhr.png"))

        var panel = RenderOptions(width: 192, height: 192)
        panel.captionText = nil
        let comparison = try Comparison([uhr, ohr], labels: ["Uhr (dev)", "Ohr (dev)"], options: panel)
        try PNG.write(comparison.frame(24), to: directory.appendingPathComponent("render-comparison.png"))

        // A made-up training curve: exponential decay with deterministic noise, and an eval every 200 steps.
        var generator = SeededGenerator(seed: 7)
        let steps = Array(stride(from: 0.0, through: 2000, by: 10))
        let train = steps.map { 0.05 + 1.6 * exp(-$0 / 350) * (1 + 0.25 * (generator.nextUnit() - 0.5)) }
        let evalSteps = Array(stride(from: 0.0, through: 2000, by: 200))
        let dev = evalSteps.map { 0.09 + 1.5 * exp(-$0 / 420) }
        let plot = LinePlot(series: [.init(name: "train", x: steps, y: train), .init(name: "dev", x: evalSteps, y: dev)],
                            title: "MeanFlow loss", xLabel: "step", yLabel: "loss", logY: true, width: 384, height: 256)
        try plot.write(to: directory.appendingPathComponent("render-plot.png"))
    }

    /// Writes a full-size frame and the whole character set to `HYBRIDSIGN_RENDER_PREVIEWS`, for looking at.
    func testWritePreviews() throws {
        guard let path = ProcessInfo.processInfo.environment["HYBRIDSIGN_RENDER_PREVIEWS"] else {
            throw XCTSkip("set HYBRIDSIGN_RENDER_PREVIEWS to a directory to write preview images")
        }
        let directory = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let uhr = try FixtureWords.word("Uhr")
        let renderer = SkeletonRenderer(options: RenderOptions())
        try PNG.write(renderer.render(frame: 20, of: uhr, camera: renderer.camera(for: [uhr])),
                      to: directory.appendingPathComponent("preview-frame.png"))
        let synthetic = try SyntheticSigner.sequence(frames: 60, seed: 1)
        try ContactSheet(options: RenderOptions(width: 256, height: 256), tileWidth: 128, tileHeight: 128, maxTiles: 12)
            .write(synthetic, to: directory.appendingPathComponent("preview-synthetic.png"))
        var glyphs = try Canvas(width: 6 * 32 * 2 + 8, height: 12 * 2 * 6 + 8, background: .white)
        let all = (32..<127).map { Character(UnicodeScalar($0)!) } + Array("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ€„“”–…«»¿¡°§£ČčŠšŽžŘřĚěŐőŰűŒœ漢")
        for (index, character) in all.enumerated() {
            glyphs.drawText(String(character), x: 4 + (index % 32) * 12, y: 4 + (index / 32) * 24, scale: 2, color: .black)
        }
        try PNG.write(glyphs, to: directory.appendingPathComponent("preview-font.png"))
    }
}
