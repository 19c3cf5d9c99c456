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

    /// Draws the plot: labels and grid, then the series, then the legend.
    public func render() throws(RenderError) -> Canvas {
        guard width >= 120, height >= 90 else {
            throw RenderError.invalidArgument("a plot must be at least 120×90 px, not \(width)×\(height)")
        }
        for item in series where item.x.count != item.y.count {
            throw RenderError.invalidArgument(
                "series '\(item.name)' has \(item.x.count) x values but \(item.y.count) y values; give one x per y")
        }
        var canvas = try Canvas(width: width, height: height, background: background)
        let area = try PlotArea(self)
        drawLabelsAndGrid(area, on: &canvas)
        drawSeries(area, on: &canvas)
        drawLegend(area, on: &canvas)
        return canvas
    }

    /// Draws the plot and writes it to `url` as PNG (atomically).
    public func write(to url: URL) throws(RenderError) {
        try PNG.write(render(), to: url)
    }
}
