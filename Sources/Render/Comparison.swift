import Foundation
import PoseData

/// Two or more sequences side by side (for example generated beside reference), aligned by frame
/// index: panel i shows frame `min(t, T_i − 1)` of sequence i, so a shorter sequence holds its last
/// frame (its caption then says "held"). Each panel carries its label above and the usual caption below.
public struct Comparison: Sendable {
    /// The sequences, left to right.
    public let sequences: [PoseSequence]
    /// One label per sequence, drawn above its panel.
    public let labels: [String]
    /// Size and style of one panel (the image is `count × width` wide).
    public var options: RenderOptions
    /// Whether every panel uses one camera fitted to all sequences (true: positions compare directly),
    /// or each panel its own camera (for sequences in different coordinate ranges).
    public var sharedCamera: Bool

    /// Creates a comparison; `labels` defaults to each sequence's name (or "sequence i").
    public init(_ sequences: [PoseSequence], labels: [String]? = nil, options: RenderOptions = RenderOptions(),
                sharedCamera: Bool = true) throws(RenderError) {
        guard !sequences.isEmpty else {
            throw RenderError.invalidArgument("a comparison needs at least one sequence, got none")
        }
        if let labels, labels.count != sequences.count {
            throw RenderError.invalidArgument("a comparison of \(sequences.count) sequences needs \(sequences.count) labels, got \(labels.count)")
        }
        if let empty = sequences.firstIndex(where: { $0.frameCount == 0 }) {
            throw RenderError.invalidArgument("sequence \(empty + 1) of the comparison has no frames")
        }
        self.sequences = sequences
        self.labels = labels ?? sequences.enumerated().map { $1.name ?? "sequence \($0 + 1)" }
        self.options = options
        self.sharedCamera = sharedCamera
    }

    /// Frames of the comparison: the longest sequence's frame count.
    public var frameCount: Int { sequences.map(\.frameCount).max() ?? 0 }

    private var labelHeight: Int { BitmapFont.standard.lineHeight * options.textScale + 4 * options.textScale }

    private var panelRenderer: SkeletonRenderer { SkeletonRenderer(options: options) }

    /// The cameras of the panels, left to right.
    public func cameras() -> [Camera] {
        let renderer = panelRenderer
        var viewport = renderer.viewport
        viewport.y += Double(labelHeight)
        viewport.height = max(viewport.height - Double(labelHeight), 1)
        if sharedCamera {
            let camera = Camera.fit(sequences: sequences, viewport: viewport, margin: options.margin, parts: options.parts,
                                    threshold: options.confidenceThreshold)
            return Array(repeating: camera, count: sequences.count)
        }
        return sequences.map {
            Camera.fit(sequences: [$0], viewport: viewport, margin: options.margin, parts: options.parts,
                       threshold: options.confidenceThreshold)
        }
    }

    /// Renders comparison frame `index` (0 ..< ``frameCount``): the panels side by side.
    public func frame(_ index: Int, cameras precomputed: [Camera]? = nil) throws(RenderError) -> Canvas {
        guard index >= 0, index < frameCount else {
            throw RenderError.invalidArgument("comparison frame \(index) is out of range 0..<\(frameCount)")
        }
        let cameras = precomputed ?? self.cameras()
        let renderer = panelRenderer
        let panelWidth = options.width
        guard panelWidth * sequences.count <= Canvas.maximumSide else {
            throw RenderError.invalidArgument(
                "\(sequences.count) panels of \(panelWidth) px are wider than \(Canvas.maximumSide) px; use a smaller size")
        }
        var canvas = try Canvas(width: panelWidth * sequences.count, height: options.height, background: options.background)
        for (i, sequence) in sequences.enumerated() {
            let shown = min(index, sequence.frameCount - 1)
            var panel = try Canvas(width: panelWidth, height: options.height, background: options.background)
            // The panel's caption is drawn separately below, to mark held frames.
            var skeletonOnly = renderer
            skeletonOnly.options.caption = false
            try skeletonOnly.draw(frame: shown, of: sequence, camera: cameras[i], into: &panel)
            if options.caption {
                renderer.drawCaption(frame: shown, of: sequence, into: &panel, note: shown < index ? "held" : nil)
            }
            drawLabel(labels[i], on: &panel)
            canvas.draw(panel, atX: i * panelWidth, y: 0)
            if i > 0 {
                canvas.fillRect(x: i * panelWidth, y: 0, width: max(1, options.textScale), height: options.height,
                                color: options.textColor.faded(by: 0.35))
            }
        }
        return canvas
    }

    private func drawLabel(_ label: String, on panel: inout Canvas) {
        let font = BitmapFont.standard
        let scale = options.textScale
        let shown = font.truncated(label, toWidth: panel.width - 6 * scale, scale: scale)
        let width = font.size(of: shown, scale: scale).width
        panel.drawText(shown, x: (panel.width - width) / 2, y: scale, scale: scale, color: options.textColor)
    }

    /// Writes every comparison frame as `DIR/frame_0000.png ...` and returns their URLs.
    public func writeFrames(to directory: URL, fast: Bool = false, progress: RenderProgress? = nil,
                            isCancelled: RenderCancellation? = nil) throws(RenderError) -> [URL] {
        let writer = try FrameSequenceWriter(directory: directory, frameCount: frameCount, fast: fast)
        let cameras = self.cameras()
        var urls: [URL] = []
        for index in 0..<frameCount {
            if isCancelled?() == true { throw RenderError.cancelled }
            urls.append(try writer.write(frame(index, cameras: cameras), frame: index))
            progress?(index + 1, frameCount)
        }
        try writer.finish(frameCount: frameCount)
        return urls
    }

    /// A filmstrip sheet: one row per sequence (its label on the left), one column per sampled
    /// frame index (every `every`-th, or at most `maxColumns`); tiles are labelled with the frame
    /// shown and marked "held" once a sequence has ended.
    public func sheet(tileWidth: Int = 160, tileHeight: Int = 160, every: Int? = nil, maxColumns: Int = 8,
                      progress: RenderProgress? = nil, isCancelled: RenderCancellation? = nil) throws(RenderError) -> Canvas {
        guard tileWidth >= 16, tileHeight >= 16 else {
            throw RenderError.invalidArgument("comparison-sheet tiles must be at least 16×16 px, not \(tileWidth)×\(tileHeight)")
        }
        let indices = SheetGrid.sampledFrames(frameCount: frameCount, every: every, maxTiles: maxColumns)
        let font = BitmapFont.standard
        let labelWidth = labels.map { font.size(of: $0, scale: options.textScale).width }.max() ?? 0
        let grid = SheetGrid(columns: indices.count, rows: sequences.count, tileWidth: tileWidth, tileHeight: tileHeight,
                             textScale: options.textScale, title: true,
                             rowLabelWidth: min(labelWidth, 24 * font.advance * options.textScale) + 3 * options.textScale)
        try grid.validate()
        var tileOptions = options
        tileOptions.width = tileWidth
        tileOptions.height = tileHeight
        tileOptions.caption = false
        let renderer = SkeletonRenderer(options: tileOptions)
        let cameras = sharedCamera
            ? Array(repeating: renderer.camera(for: sequences), count: sequences.count)
            : sequences.map { renderer.camera(for: [$0]) }

        var sheet = try Canvas(width: grid.width, height: grid.height, background: options.background)
        let fps = sequences[0].fps
        grid.drawTitle("\(labels.joined(separator: " | "))  \(frameCount) frames, \(SheetText.fpsText(fps)) fps",
                       on: &sheet, color: options.textColor)
        let tileBackground = options.background.a > 0 ? options.background.mixed(with: options.textColor, amount: 0.05) : Color.clear
        let total = indices.count * sequences.count
        var done = 0
        for (row, sequence) in sequences.enumerated() {
            grid.drawRowLabel(labels[row], row: row, on: &sheet, color: options.textColor)
            for (column, index) in indices.enumerated() {
                if isCancelled?() == true { throw RenderError.cancelled }
                let shown = min(index, sequence.frameCount - 1)
                var tile = try Canvas(width: tileWidth, height: tileHeight, background: tileBackground)
                try renderer.draw(frame: shown, of: sequence, camera: cameras[row], into: &tile)
                let (x, y) = grid.origin(column: column, row: row)
                sheet.draw(tile, atX: x, y: y)
                let label = "\(shown + 1)  " + SheetText.seconds(Double(shown) / sequence.fps) + (shown < index ? " held" : "")
                grid.drawTileLabel(label, column: column, row: row, on: &sheet, color: options.textColor)
                done += 1
                progress?(done, total)
            }
        }
        return sheet
    }
}
