import Foundation
import PoseData

/// A contact sheet: one image with a grid of every k-th frame of a sequence, each tile labelled with
/// its frame number and time, under a title (the text, name and frame count).
///
/// Every tile uses one camera fitted to the whole sequence, so motion reads across tiles.
public struct ContactSheet: Sendable {
    /// Colours, parts and line widths of the tiles (their size and caption are set by the sheet).
    public var options: RenderOptions
    /// Tile width in pixels.
    public var tileWidth: Int
    /// Tile height in pixels (a one-line label strip goes under each tile).
    public var tileHeight: Int
    /// Show every `every`-th frame; nil picks the step that keeps at most ``maxTiles`` tiles.
    public var every: Int?
    /// The most tiles when ``every`` is nil.
    public var maxTiles: Int
    /// Tiles per row; nil: up to 6, fewer for short sequences.
    public var columns: Int?
    /// The title; nil: the sequence's text, name and frame count.
    public var title: String?

    /// Creates a contact-sheet description.
    public init(options: RenderOptions = RenderOptions(), tileWidth: Int = 192, tileHeight: Int = 192,
                every: Int? = nil, maxTiles: Int = 24, columns: Int? = nil, title: String? = nil) {
        self.options = options
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.every = every
        self.maxTiles = maxTiles
        self.columns = columns
        self.title = title
    }

    /// The frame indices the sheet shows for a sequence of `frameCount` frames.
    public func frameIndices(frameCount: Int) -> [Int] {
        SheetGrid.sampledFrames(frameCount: frameCount, every: every, maxTiles: maxTiles)
    }

    /// Renders the sheet of `sequence`. `progress` gets (tiles done, tiles); `isCancelled` is
    /// checked before every tile.
    public func render(_ sequence: PoseSequence, progress: RenderProgress? = nil,
                       isCancelled: RenderCancellation? = nil) throws(RenderError) -> Canvas {
        guard sequence.frameCount > 0 else {
            throw RenderError.invalidArgument("cannot make a contact sheet of\(sequence.name.map { " '\($0)'" } ?? "") a sequence with no frames")
        }
        guard tileWidth >= 16, tileHeight >= 16 else {
            throw RenderError.invalidArgument("contact-sheet tiles must be at least 16×16 px, not \(tileWidth)×\(tileHeight)")
        }
        let indices = frameIndices(frameCount: sequence.frameCount)
        let columnCount = max(1, min(columns ?? 6, indices.count))
        let rowCount = (indices.count + columnCount - 1) / columnCount
        let grid = SheetGrid(columns: columnCount, rows: rowCount, tileWidth: tileWidth, tileHeight: tileHeight,
                             textScale: options.textScale, title: true)
        try grid.validate()

        var tileOptions = options
        tileOptions.width = tileWidth
        tileOptions.height = tileHeight
        tileOptions.caption = false
        let renderer = SkeletonRenderer(options: tileOptions)
        let camera = renderer.camera(for: [sequence])

        var sheet = try Canvas(width: grid.width, height: grid.height, background: options.background)
        let heading = title ?? SheetText.title(of: sequence)
        grid.drawTitle(heading, on: &sheet, color: options.textColor)
        let tileBackground = options.background.a > 0 ? options.background.mixed(with: options.textColor, amount: 0.05) : Color.clear
        for (n, frame) in indices.enumerated() {
            if isCancelled?() == true { throw RenderError.cancelled }
            var tile = try Canvas(width: tileWidth, height: tileHeight, background: tileBackground)
            try renderer.draw(frame: frame, of: sequence, camera: camera, into: &tile)
            let (column, row) = (n % columnCount, n / columnCount)
            let (x, y) = grid.origin(column: column, row: row)
            sheet.draw(tile, atX: x, y: y)
            grid.drawTileLabel("\(frame + 1)  " + SheetText.seconds(Double(frame) / sequence.fps), column: column, row: row,
                               on: &sheet, color: options.textColor)
            progress?(n + 1, indices.count)
        }
        return sheet
    }

    /// Renders the sheet of `sequence` and writes it to `url` as PNG (atomically).
    public func write(_ sequence: PoseSequence, to url: URL, progress: RenderProgress? = nil,
                      isCancelled: RenderCancellation? = nil) throws(RenderError) {
        let canvas = try render(sequence, progress: progress, isCancelled: isCancelled)
        try PNG.write(canvas, to: url)
    }
}

/// Shared wording of titles and times on sheets.
enum SheetText {
    static func title(of sequence: PoseSequence) -> String {
        var parts: [String] = []
        if let text = sequence.text, !text.isEmpty { parts.append(text) }
        if let name = sequence.name, !name.isEmpty, name != sequence.text { parts.append("(\(name))") }
        parts.append("\(sequence.frameCount) frames, \(fpsText(sequence.fps)) fps")
        return parts.joined(separator: "  ")
    }

    static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)s"
    }

    static func fpsText(_ fps: Double) -> String {
        fps == fps.rounded() ? String(Int(fps)) : String(format: "%.4g", fps)
    }
}
