/// An RGBA image in memory: `width × height` pixels, row-major, 4 bytes per pixel (straight alpha),
/// top-left origin, y pointing down. Drawing composites with the "over" operator.
public struct Canvas: Sendable, Equatable {
    /// The largest width or height a canvas may have (keeps a typo from allocating gigabytes).
    public static let maximumSide = 16_384

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height * 4` bytes: r, g, b, a per pixel, rows top to bottom.
    public internal(set) var pixels: [UInt8]

    /// Creates a canvas filled with `background`.
    public init(width: Int, height: Int, background: Color = .clear) throws(RenderError) {
        guard width > 0, height > 0, width <= Canvas.maximumSide, height <= Canvas.maximumSide else {
            throw RenderError.invalidArgument(
                "canvas size \(width)×\(height) is invalid: width and height must be 1...\(Canvas.maximumSide) pixels")
        }
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: 0, count: width * height * 4)
        clear(to: background)
    }

    /// Creates a canvas from existing RGBA bytes (`width * height * 4` of them).
    public init(width: Int, height: Int, rgba: [UInt8]) throws(RenderError) {
        guard width > 0, height > 0, width <= Canvas.maximumSide, height <= Canvas.maximumSide,
              rgba.count == width * height * 4 else {
            throw RenderError.invalidArgument(
                "cannot make a \(width)×\(height) canvas from \(rgba.count) bytes: it needs width × height × 4 bytes and sides of 1...\(Canvas.maximumSide)")
        }
        self.width = width
        self.height = height
        self.pixels = rgba
    }

    /// Sets every pixel to `color` (no blending).
    public mutating func clear(to color: Color) {
        let value = UInt32(color.r) | UInt32(color.g) << 8 | UInt32(color.b) << 16 | UInt32(color.a) << 24
        pixels.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt32.self)
            words.update(repeating: UInt32(littleEndian: value))
        }
    }

    /// The colour of pixel (x, y); nil outside the canvas.
    public func pixel(x: Int, y: Int) -> Color? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let i = (y * width + x) * 4
        return Color(r: pixels[i], g: pixels[i + 1], b: pixels[i + 2], a: pixels[i + 3])
    }

    /// Whether every pixel has alpha 255.
    public var isOpaque: Bool {
        pixels.withUnsafeBufferPointer { buffer in
            var index = 3
            while index < buffer.count {
                if buffer[index] != 255 { return false }
                index += 4
            }
            return true
        }
    }

    /// Composites `color` over pixel (x, y) with coverage in 0...1; ignores pixels outside.
    public mutating func blend(x: Int, y: Int, color: Color, coverage: Float = 1) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let alpha = Float(color.a) / 255 * min(max(coverage, 0), 1)
        let offset = (y * width + x) * 4
        pixels.withUnsafeMutableBufferPointer { buffer in
            Canvas.composite(buffer.baseAddress! + offset, color, alpha)
        }
    }

    /// Source-over compositing of straight-alpha `color` with opacity `alpha` onto one pixel.
    @inline(__always)
    static func composite(_ p: UnsafeMutablePointer<UInt8>, _ color: Color, _ alpha: Float) {
        if alpha <= 0 { return }
        let dstA = p[3]
        if alpha >= 0.999 {
            p[0] = color.r; p[1] = color.g; p[2] = color.b; p[3] = 255
            return
        }
        if dstA == 255 {
            // Opaque destination (the usual case): a plain lerp.
            p[0] = UInt8(Float(p[0]) + (Float(color.r) - Float(p[0])) * alpha + 0.5)
            p[1] = UInt8(Float(p[1]) + (Float(color.g) - Float(p[1])) * alpha + 0.5)
            p[2] = UInt8(Float(p[2]) + (Float(color.b) - Float(p[2])) * alpha + 0.5)
            return
        }
        let da = Float(dstA) / 255
        let outA = alpha + da * (1 - alpha)
        let keep = da * (1 - alpha) / outA
        let take = alpha / outA
        p[0] = UInt8(min(Float(color.r) * take + Float(p[0]) * keep + 0.5, 255))
        p[1] = UInt8(min(Float(color.g) * take + Float(p[1]) * keep + 0.5, 255))
        p[2] = UInt8(min(Float(color.b) * take + Float(p[2]) * keep + 0.5, 255))
        p[3] = UInt8(min(outA * 255 + 0.5, 255))
    }

    /// Composites `other` over this canvas with its top-left corner at (x, y); parts outside are clipped.
    public mutating func draw(_ other: Canvas, atX x: Int, y: Int) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + other.width), y1 = min(height, y + other.height)
        guard x0 < x1, y0 < y1 else { return }
        let sourceWidth = other.width
        other.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                for row in y0..<y1 {
                    for column in x0..<x1 {
                        let s = ((row - y) * sourceWidth + (column - x)) * 4
                        let color = Color(r: source[s], g: source[s + 1], b: source[s + 2], a: source[s + 3])
                        Canvas.composite(target.baseAddress! + (row * width + column) * 4, color, Float(color.a) / 255)
                    }
                }
            }
        }
    }
}
