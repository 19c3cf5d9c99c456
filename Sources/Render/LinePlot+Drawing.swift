import Foundation

/// Where a plot's parts go: the data ranges (log10 space for `logY`), the ticks, and the pixel
/// rectangle of the axes.
struct PlotArea {
    let font = BitmapFont.standard
    /// Text scale and line height in pixels.
    let scale: Int
    let line: Int
    let ink: Color
    let hasData: Bool
    let xLow, xHigh, yLow, yHigh: Double
    let xTickValues, yTickValues: [Double]
    let xTickLabels, yTickLabels: [String]
    let left, right, top, bottom: Int

    init(_ plot: LinePlot) throws(RenderError) {
        let font = BitmapFont.standard, scale = plot.textScale
        self.scale = scale
        line = font.lineHeight * scale
        ink = plot.background.luminance > 0.5 ? Color(hex: 0x222222) : Color(hex: 0xE0E0E0)
        var xs: [Double] = [], ys: [Double] = []
        for item in plot.series {
            for (x, y) in zip(item.x, item.y) where plot.isUsable(x, y) {
                xs.append(x)
                ys.append(plot.logY ? log10(y) : y)
            }
        }
        hasData = !xs.isEmpty
        (xLow, xHigh) = Self.range(xs.min(), xs.max()) { low, high in (max(abs(low) * 0.1, 1), max(abs(high) * 0.1, 1)) }
        var (yMin, yMax) = Self.range(ys.min(), ys.max()) { low, _ in
            let pad = plot.logY ? 0.5 : max(abs(low) * 0.1, 1)
            return (pad, pad)
        }
        let yPad = (yMax - yMin) * 0.05
        yMin -= yPad
        yMax += yPad
        (yLow, yHigh) = (yMin, yMax)
        let xTicks = NiceTicks.linear(low: xLow, high: xHigh, count: max(3, plot.width / (70 * scale)))
        let yTicks = Self.yTicks(low: yMin, high: yMax, logY: plot.logY, count: max(3, plot.height / (50 * scale)))
        (xTickValues, xTickLabels) = (xTicks.values, xTicks.values.map { NiceTicks.label($0, step: xTicks.step) })
        (yTickValues, yTickLabels) = yTicks
        // Title, y label above the axis, tick labels left and below, x label at the bottom.
        let labelWidth = yTicks.1.map { font.size(of: $0, scale: scale).width }.max() ?? 0
        let line = font.lineHeight * scale
        top = 6 * scale + (plot.title != nil ? line + 2 * scale : 0) + (plot.yLabel != nil ? line : 0) + 4 * scale
        left = 8 * scale + labelWidth + 4 * scale
        let lastXLabel = font.size(of: xTicks.values.last.map { NiceTicks.label($0, step: xTicks.step) } ?? "", scale: scale).width
        right = plot.width - max(12 * scale, lastXLabel / 2 + 4 * scale)
        bottom = plot.height - (4 * scale + line + (plot.xLabel != nil ? line + 2 * scale : 0) + 2 * scale)
        guard right - left >= 20, bottom - top >= 20 else {
            throw RenderError.invalidArgument("a \(plot.width)×\(plot.height) plot leaves no room for its axes; make it larger")
        }
    }

    /// `low...high` of the data, (0, 1) without data, widened by `pads(low, high)` when it is a
    /// single value.
    private static func range(_ low: Double?, _ high: Double?, pads: (Double, Double) -> (Double, Double)) -> (Double, Double) {
        guard let low, let high else { return (0, 1) }
        guard high - low <= abs(low) * 1e-12 else { return (low, high) }
        let (lowPad, highPad) = pads(low, high)
        return (low - lowPad, high + highPad)
    }

    /// The y ticks: placed in log10 space for a log axis (labelled with their values), linear otherwise.
    private static func yTicks(low: Double, high: Double, logY: Bool, count: Int) -> ([Double], [String]) {
        if logY {
            let values = NiceTicks.logarithmic(low: pow(10, low), high: pow(10, high))
            return (values.map(log10), values.map { NiceTicks.label($0, step: $0) })
        }
        let ticks = NiceTicks.linear(low: low, high: high, count: count)
        return (ticks.values, ticks.values.map { NiceTicks.label($0, step: ticks.step) })
    }

    /// The pixel column of data x and the pixel row of (log10 for log axes) data y.
    func px(_ x: Double) -> Double { Double(left) + (x - xLow) / (xHigh - xLow) * Double(right - left) }
    func py(_ y: Double) -> Double { Double(bottom) - (y - yLow) / (yHigh - yLow) * Double(bottom - top) }
}

extension LinePlot {
    /// Whether a point can be drawn: finite, and above 0 on a log axis.
    func isUsable(_ x: Double, _ y: Double) -> Bool { x.isFinite && y.isFinite && (!logY || y > 0) }

    /// The title, the axis labels, the grid with its tick labels, the frame, and a note when there
    /// is nothing to draw.
    func drawLabelsAndGrid(_ area: PlotArea, on canvas: inout Canvas) {
        let (font, s, line, ink) = (area.font, area.scale, area.line, area.ink)
        let (left, right, top, bottom) = (area.left, area.right, area.top, area.bottom)
        if let title {
            let shown = font.truncated(title, toWidth: width - 12 * s, scale: s)
            canvas.drawText(shown, x: (width - font.size(of: shown, scale: s).width) / 2, y: 4 * s, scale: s, color: ink)
        }
        if let yLabel {
            canvas.drawText(font.truncated(yLabel, toWidth: width - 12 * s, scale: s), x: 8 * s, y: top - line - 2 * s, scale: s, color: ink)
        }
        if let xLabel {
            let shown = font.truncated(xLabel, toWidth: width - 12 * s, scale: s)
            let w = font.size(of: shown, scale: s).width
            canvas.drawText(shown, x: left + (right - left - w) / 2, y: height - line - 2 * s, scale: s, color: ink)
        }
        let gridColor = ink.faded(by: 0.12)
        for (value, label) in zip(area.yTickValues, area.yTickLabels) {
            let y = Int(area.py(value).rounded(.down))
            guard y >= top, y <= bottom else { continue }
            canvas.fillRect(x: left, y: y, width: right - left, height: 1, color: gridColor)
            canvas.fillRect(x: left - 3 * s, y: y, width: 3 * s, height: 1, color: ink)
            let w = font.size(of: label, scale: s).width
            canvas.drawText(label, x: left - 5 * s - w, y: y - (font.ascent + 4) * s, scale: s, color: ink)
        }
        for (value, label) in zip(area.xTickValues, area.xTickLabels) {
            let x = Int(area.px(value).rounded(.down))
            guard x >= left, x <= right else { continue }
            canvas.fillRect(x: x, y: top, width: 1, height: bottom - top, color: gridColor)
            canvas.fillRect(x: x, y: bottom, width: 1, height: 3 * s, color: ink)
            let w = font.size(of: label, scale: s).width
            canvas.drawText(label, x: x - w / 2, y: bottom + 4 * s - font.ascent * s + s, scale: s, color: ink)
        }
        canvas.strokeRect(x: left, y: top, width: right - left + 1, height: bottom - top + 1, color: ink.faded(by: 0.8))
        if !area.hasData {
            let message = series.isEmpty ? "no series" : "no finite data" + (logY ? " above 0" : "")
            let w = font.size(of: message, scale: s).width
            canvas.drawText(message, x: left + (right - left - w) / 2, y: top + (bottom - top) / 2 - line / 2, scale: s, color: ink)
        }
    }

    /// The line width in pixels, scaled with the plot's size.
    var scaledLineWidth: Double { max(1, lineWidth * Double(min(width, height)) / 400) }

    /// Each series as lines broken at unusable points, with dots when it has few points.
    func drawSeries(_ area: PlotArea, on canvas: inout Canvas) {
        for (index, item) in series.enumerated() {
            let color = item.color ?? LinePlot.palette[index % LinePlot.palette.count]
            var run: [Point] = []
            for (x, y) in zip(item.x, item.y) {
                if isUsable(x, y) {
                    run.append(Point(area.px(x), area.py(logY ? log10(y) : y)))
                } else {
                    canvas.strokePolyline(run, width: scaledLineWidth, color: color)
                    run.removeAll(keepingCapacity: true)
                }
            }
            canvas.strokePolyline(run, width: scaledLineWidth, color: color)
            if item.x.count <= 40 {
                for (x, y) in zip(item.x, item.y) where isUsable(x, y) {
                    canvas.fillDisc(center: Point(area.px(x), area.py(logY ? log10(y) : y)), radius: scaledLineWidth * 1.4, color: color)
                }
            }
        }
    }

    /// The named series with their colours, top right inside the axes.
    func drawLegend(_ area: PlotArea, on canvas: inout Canvas) {
        let named = series.enumerated().filter { !$0.element.name.isEmpty }
        guard !named.isEmpty else { return }
        let (font, s, line, ink) = (area.font, area.scale, area.line, area.ink)
        let swatch = 16 * s
        let texts = named.map { font.truncated($0.element.name, toWidth: (area.right - area.left) / 2, scale: s) }
        let textWidth = texts.map { font.size(of: $0, scale: s).width }.max() ?? 0
        let boxWidth = swatch + textWidth + 12 * s
        let boxHeight = named.count * line + 4 * s
        let boxX = area.right - boxWidth - 6 * s, boxY = area.top + 6 * s
        canvas.fillRect(x: boxX, y: boxY, width: boxWidth, height: boxHeight, color: background.faded(by: 0.88))
        canvas.strokeRect(x: boxX, y: boxY, width: boxWidth, height: boxHeight, color: ink.faded(by: 0.3))
        for (row, (index, item)) in named.enumerated() {
            let color = item.color ?? LinePlot.palette[index % LinePlot.palette.count]
            let y = boxY + 2 * s + row * line
            let middle = Double(y + (font.ascent + 3) * s) + 0.5
            canvas.strokeLine(from: Point(Double(boxX + 4 * s), middle), to: Point(Double(boxX + 4 * s + swatch), middle),
                              width: scaledLineWidth, color: color)
            canvas.drawText(texts[row], x: boxX + 8 * s + swatch, y: y, scale: s, color: ink)
        }
    }
}
