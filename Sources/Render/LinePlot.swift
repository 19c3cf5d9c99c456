import Foundation

/// A line plot (training curves, metric tables): axes with round-number ticks, grid, title, axis
/// labels, a legend, several series, and an optional log-scaled y axis.
///
/// Non-finite points (and, on a log axis, values ≤ 0) are skipped and break their line. Series with
/// at most 40 points also get a dot per point.
public struct LinePlot: Sendable {
    /// One named series of (x, y) points.
    public struct Series: Sendable {
        /// The name shown in the legend; empty names are left out of it.
        public var name: String
        /// x values, one per point.
        public var x: [Double]
        /// y values, one per point.
        public var y: [Double]
        /// Nil picks the next colour of the plot's palette.
        public var color: Color?

        /// A series of points `(x[i], y[i])`; `x` and `y` must have the same length.
        public init(name: String, x: [Double], y: [Double], color: Color? = nil) {
            self.name = name
            self.x = x
            self.y = y
            self.color = color
        }

        /// A series of `values` at x = 0, 1, 2, ... (for example a loss per step).
        public init(name: String, values: [Double], color: Color? = nil) {
            self.init(name: name, x: values.indices.map(Double.init), y: values, color: color)
        }
    }

    /// The palette series take in order (matplotlib's "tab10").
    public static let palette: [Color] = [0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
                                          0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF].map { Color(hex: $0) }

    /// The series, drawn in order (later ones on top).
    public var series: [Series]
    /// Centred above the plot.
    public var title: String?
    /// Under the x axis.
    public var xLabel: String?
    /// Above the y axis.
    public var yLabel: String?
    /// Whether the y axis is logarithmic.
    public var logY: Bool
    /// Image width in pixels.
    public var width: Int
    /// Image height in pixels.
    public var height: Int
    /// Background colour; axes and text are dark on light backgrounds and light on dark ones.
    public var background: Color
    /// Line width in pixels at 400 px height (scaled with the image).
    public var lineWidth: Double

    /// Creates a plot description.
    public init(series: [Series], title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, logY: Bool = false,
                width: Int = 640, height: Int = 400, background: Color = .white, lineWidth: Double = 2) {
        self.series = series
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
        self.width = width
        self.height = height
        self.background = background
        self.lineWidth = lineWidth
    }

    /// The integer text scale: 1 up to 799 px on the shorter side, then +1 per 400 px.
    public var textScale: Int { max(1, min(width, height) / 400) }

    /// Draws the plot.
    public func render() throws(RenderError) -> Canvas {
        guard width >= 120, height >= 90 else {
            throw RenderError.invalidArgument("a plot must be at least 120×90 px, not \(width)×\(height)")
        }
        for item in series where item.x.count != item.y.count {
            throw RenderError.invalidArgument(
                "series '\(item.name)' has \(item.x.count) x values but \(item.y.count) y values; give one x per y")
        }
        var canvas = try Canvas(width: width, height: height, background: background)
        let font = BitmapFont.standard
        let s = textScale
        let line = font.lineHeight * s
        let ink = background.luminance > 0.5 ? Color(hex: 0x222222) : Color(hex: 0xE0E0E0)
        let gridColor = ink.faded(by: 0.12)

        // Data ranges over usable points.
        func usable(_ x: Double, _ y: Double) -> Bool { x.isFinite && y.isFinite && (!logY || y > 0) }
        var xs: [Double] = [], ys: [Double] = []
        for item in series {
            for (x, y) in zip(item.x, item.y) where usable(x, y) {
                xs.append(x)
                ys.append(logY ? log10(y) : y)
            }
        }
        let hasData = !xs.isEmpty
        var (xLow, xHigh) = hasData ? (xs.min()!, xs.max()!) : (0, 1)
        var (yLow, yHigh) = hasData ? (ys.min()!, ys.max()!) : (0, 1)
        if xHigh - xLow <= abs(xLow) * 1e-12 { xLow -= max(abs(xLow) * 0.1, 1); xHigh += max(abs(xHigh) * 0.1, 1) }
        if yHigh - yLow <= abs(yLow) * 1e-12 {
            let pad = logY ? 0.5 : max(abs(yLow) * 0.1, 1)
            yLow -= pad
            yHigh += pad
        }
        let yPad = (yHigh - yLow) * 0.05
        yLow -= yPad
        yHigh += yPad

        // Ticks and their labels (log ticks live in log10 space for placement).
        let xTicks = NiceTicks.linear(low: xLow, high: xHigh, count: max(3, width / (70 * s)))
        let yTickValues: [Double]
        let yTickLabels: [String]
        if logY {
            let values = NiceTicks.logarithmic(low: pow(10, yLow), high: pow(10, yHigh))
            yTickValues = values.map(log10)
            yTickLabels = values.map { NiceTicks.label($0, step: $0) }
        } else {
            let ticks = NiceTicks.linear(low: yLow, high: yHigh, count: max(3, height / (50 * s)))
            yTickValues = ticks.values
            yTickLabels = ticks.values.map { NiceTicks.label($0, step: ticks.step) }
        }
        let xTickLabels = xTicks.values.map { NiceTicks.label($0, step: xTicks.step) }

        // Layout: title, y label above the axis, tick labels left and below, x label at the bottom.
        let labelWidth = yTickLabels.map { font.size(of: $0, scale: s).width }.max() ?? 0
        let top = 6 * s + (title != nil ? line + 2 * s : 0) + (yLabel != nil ? line : 0) + 4 * s
        let left = 8 * s + labelWidth + 4 * s
        let lastXLabel = font.size(of: xTickLabels.last ?? "", scale: s).width
        let right = width - max(12 * s, lastXLabel / 2 + 4 * s)
        let bottom = height - (4 * s + line + (xLabel != nil ? line + 2 * s : 0) + 2 * s)
        guard right - left >= 20, bottom - top >= 20 else {
            throw RenderError.invalidArgument("a \(width)×\(height) plot leaves no room for its axes; make it larger")
        }
        let plotWidth = Double(right - left), plotHeight = Double(bottom - top)
        func px(_ x: Double) -> Double { Double(left) + (x - xLow) / (xHigh - xLow) * plotWidth }
        func py(_ y: Double) -> Double { Double(bottom) - (y - yLow) / (yHigh - yLow) * plotHeight }

        if let title {
            let shown = font.truncated(title, toWidth: width - 12 * s, scale: s)
            let w = font.size(of: shown, scale: s).width
            canvas.drawText(shown, x: (width - w) / 2, y: 4 * s, scale: s, color: ink)
        }
        if let yLabel {
            canvas.drawText(font.truncated(yLabel, toWidth: width - 12 * s, scale: s), x: 8 * s,
                            y: top - line - 2 * s, scale: s, color: ink)
        }
        if let xLabel {
            let shown = font.truncated(xLabel, toWidth: width - 12 * s, scale: s)
            let w = font.size(of: shown, scale: s).width
            canvas.drawText(shown, x: left + (right - left - w) / 2, y: height - line - 2 * s, scale: s, color: ink)
        }
        // Grid and tick labels.
        for (value, label) in zip(yTickValues, yTickLabels) {
            let y = Int(py(value).rounded(.down))
            guard y >= top, y <= bottom else { continue }
            canvas.fillRect(x: left, y: y, width: right - left, height: 1, color: gridColor)
            canvas.fillRect(x: left - 3 * s, y: y, width: 3 * s, height: 1, color: ink)
            let w = font.size(of: label, scale: s).width
            canvas.drawText(label, x: left - 5 * s - w, y: y - (font.ascent + 4) * s, scale: s, color: ink)
        }
        for (value, label) in zip(xTicks.values, xTickLabels) {
            let x = Int(px(value).rounded(.down))
            guard x >= left, x <= right else { continue }
            canvas.fillRect(x: x, y: top, width: 1, height: bottom - top, color: gridColor)
            canvas.fillRect(x: x, y: bottom, width: 1, height: 3 * s, color: ink)
            let w = font.size(of: label, scale: s).width
            canvas.drawText(label, x: x - w / 2, y: bottom + 4 * s - font.ascent * s + s, scale: s, color: ink)
        }
        canvas.strokeRect(x: left, y: top, width: right - left + 1, height: bottom - top + 1, color: ink.faded(by: 0.8))
        if !hasData {
            let message = series.isEmpty ? "no series" : "no finite data" + (logY ? " above 0" : "")
            let w = font.size(of: message, scale: s).width
            canvas.drawText(message, x: left + (right - left - w) / 2, y: top + (bottom - top) / 2 - line / 2, scale: s, color: ink)
        }

        // Series: lines broken at unusable points; dots when sparse.
        let scaledWidth = max(1, lineWidth * Double(min(width, height)) / 400)
        for (index, item) in series.enumerated() {
            let color = item.color ?? LinePlot.palette[index % LinePlot.palette.count]
            var run: [Point] = []
            func flush() {
                canvas.strokePolyline(run, width: scaledWidth, color: color)
                run.removeAll(keepingCapacity: true)
            }
            for (x, y) in zip(item.x, item.y) {
                if usable(x, y) { run.append(Point(px(x), py(logY ? log10(y) : y))) } else { flush() }
            }
            flush()
            if item.x.count <= 40 {
                for (x, y) in zip(item.x, item.y) where usable(x, y) {
                    canvas.fillDisc(center: Point(px(x), py(logY ? log10(y) : y)), radius: scaledWidth * 1.4, color: color)
                }
            }
        }

        // Legend, top right inside the plot area.
        let named = series.enumerated().filter { !$0.element.name.isEmpty }
        if !named.isEmpty {
            let swatch = 16 * s
            let texts = named.map { font.truncated($0.element.name, toWidth: (right - left) / 2, scale: s) }
            let textWidth = texts.map { font.size(of: $0, scale: s).width }.max() ?? 0
            let boxWidth = swatch + textWidth + 12 * s
            let boxHeight = named.count * line + 4 * s
            let boxX = right - boxWidth - 6 * s, boxY = top + 6 * s
            canvas.fillRect(x: boxX, y: boxY, width: boxWidth, height: boxHeight, color: background.faded(by: 0.88))
            canvas.strokeRect(x: boxX, y: boxY, width: boxWidth, height: boxHeight, color: ink.faded(by: 0.3))
            for (row, (index, item)) in named.enumerated() {
                let color = item.color ?? LinePlot.palette[index % LinePlot.palette.count]
                let y = boxY + 2 * s + row * line
                let middle = Double(y + (font.ascent + 3) * s) + 0.5
                canvas.strokeLine(from: Point(Double(boxX + 4 * s), middle), to: Point(Double(boxX + 4 * s + swatch), middle),
                                  width: scaledWidth, color: color)
                canvas.drawText(texts[row], x: boxX + 8 * s + swatch, y: y, scale: s, color: ink)
            }
        }
        return canvas
    }

    /// Draws the plot and writes it to `url` as PNG (atomically).
    public func write(to url: URL) throws(RenderError) {
        try PNG.write(render(), to: url)
    }
}
