/// The geometry shared by contact sheets and comparison sheets: a title band, an optional column of
/// row labels on the left, and a grid of equal tiles, each with a one-line label strip under it,
/// separated by gaps.
struct SheetGrid {
    let columns: Int
    let rows: Int
    let tileWidth: Int
    let tileHeight: Int
    let gap: Int
    let titleHeight: Int
    /// Width of the row-label column (0 without row labels).
    let rowLabelWidth: Int
    let textScale: Int
    /// The label strip under each tile (text at scale 1, so it fits small tiles).
    let labelHeight = BitmapFont.standard.lineHeight

    var width: Int { rowLabelWidth + columns * tileWidth + (columns + 1) * gap }
    var height: Int { titleHeight + rows * (tileHeight + labelHeight) + (rows + 1) * gap }

    init(columns: Int, rows: Int, tileWidth: Int, tileHeight: Int, textScale: Int, title: Bool, rowLabelWidth: Int = 0) {
        self.columns = max(columns, 1)
        self.rows = max(rows, 1)
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.textScale = textScale
        self.gap = 3 * textScale
        self.rowLabelWidth = max(rowLabelWidth, 0)
        let line = BitmapFont.standard.lineHeight * textScale
        self.titleHeight = title ? line + 6 * textScale : 0
    }

    /// Top-left corner of tile (column, row).
    func origin(column: Int, row: Int) -> (x: Int, y: Int) {
        (rowLabelWidth + gap + column * (tileWidth + gap), titleHeight + gap + row * (tileHeight + labelHeight + gap))
    }

    /// Checks the sheet stays within ``Canvas/maximumSide``.
    func validate() throws(RenderError) {
        guard width <= Canvas.maximumSide, height <= Canvas.maximumSide else {
            throw RenderError.invalidArgument(
                "a sheet of \(columns)×\(rows) tiles of \(tileWidth)×\(tileHeight) px would be \(width)×\(height) px, over the \(Canvas.maximumSide) px limit; use smaller tiles or fewer frames")
        }
    }

    func drawTitle(_ title: String, on canvas: inout Canvas, color: Color) {
        guard titleHeight > 0 else { return }
        let font = BitmapFont.standard
        let shown = font.truncated(title, toWidth: width - 2 * gap, scale: textScale)
        canvas.drawText(shown, x: gap, y: 3 * textScale, scale: textScale, color: color)
    }

    /// A row's label, left of its tiles, vertically centred on them.
    func drawRowLabel(_ text: String, row: Int, on canvas: inout Canvas, color: Color) {
        guard rowLabelWidth > 0 else { return }
        let font = BitmapFont.standard
        let shown = font.truncated(text, toWidth: rowLabelWidth - gap, scale: textScale)
        let y = origin(column: 0, row: row).y + (tileHeight - font.lineHeight * textScale) / 2
        canvas.drawText(shown, x: gap, y: y, scale: textScale, color: color)
    }

    /// A small label in the strip under tile (column, row).
    func drawTileLabel(_ text: String, column: Int, row: Int, on canvas: inout Canvas, color: Color) {
        let font = BitmapFont.standard
        let (x, y) = origin(column: column, row: row)
        let shown = font.truncated(text, toWidth: tileWidth - 4, scale: 1)
        canvas.drawText(shown, x: x + 2, y: y + tileHeight, color: color)
    }

    /// Frame indices 0, k, 2k, ... with `k = every` or, when nil, the smallest k that keeps at most `maxTiles`.
    static func sampledFrames(frameCount: Int, every: Int?, maxTiles: Int) -> [Int] {
        guard frameCount > 0 else { return [] }
        let step = max(every ?? Int((Double(frameCount) / Double(max(maxTiles, 1))).rounded(.up)), 1)
        return Array(stride(from: 0, to: frameCount, by: step))
    }
}
