import GIFCoding

/// Writes an animated GIF (GIF89a) in memory: one shared palette, frames with their own delays,
/// looping forever.
///
/// After the first frame only the rectangle that changed is stored (the rest of the previous
/// frame stays on screen), so a skeleton moving on a still background costs little per frame.
/// The per-pixel work (palette lookup, changed rectangle, LZW) is in `GIFCoding`, a module
/// compiled without runtime checks: it only sees the tool's own canvases, whose sizes are checked
/// here and in ``Canvas`` (Docs/engine.md, "Bounds checks in the parsing modules").
public struct GIFEncoder {
    /// Frame width and height in pixels.
    public let width: Int, height: Int
    private var palette: GIFPalette
    private var bytes: [UInt8] = []
    private var previous: [UInt8] = []
    private var current: [UInt8] = []
    private var compressor = LZWCompressor()
    /// Frames written so far.
    public private(set) var frameCount = 0

    /// Starts a GIF of `width × height` frames in the colours of `palette`.
    public init(width: Int, height: Int, palette: GIFPalette) throws(RenderError) {
        guard (1...65_535).contains(width), (1...65_535).contains(height) else {
            throw RenderError.invalidArgument("a GIF frame must be 1…65535 pixels wide and high, not \(width)×\(height)")
        }
        self.width = width
        self.height = height
        self.palette = palette
        writeHeader()
    }

    private mutating func writeHeader() {
        bytes += Array("GIF89a".utf8)
        appendWord(width)
        appendWord(height)
        let bits = palette.bitsPerIndex
        // Global colour table present, 8 bits per primary, not sorted, 2^bits entries.
        bytes.append(0x80 | 0x70 | UInt8(bits - 1))
        bytes += [0, 0]  // background index, pixel aspect ratio
        for index in 0..<(1 << bits) {
            let color = index < palette.colors.count ? palette.colors[index] : Color(r: 0, g: 0, b: 0)
            bytes += [color.r, color.g, color.b]
        }
        // NETSCAPE2.0 application extension: loop forever.
        bytes += [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00]
    }

    /// Adds `canvas` (the GIF's size) shown for `delay` hundredths of a second (at least 2:
    /// browsers slow shorter delays down to 10).
    public mutating func append(_ canvas: Canvas, delay: Int) throws(RenderError) {
        guard canvas.width == width, canvas.height == height else {
            throw RenderError.invalidArgument("GIF frame \(frameCount) is \(canvas.width)×\(canvas.height), the GIF is \(width)×\(height)")
        }
        palette.index(canvas, into: &current)
        let box = frameCount == 0 ? PixelBox(x: 0, y: 0, width: width, height: height)
            : PixelBox.changed(from: previous, to: current, width: width, height: height)
        // Graphic control extension: keep the previous frame under this one, delay, transparency.
        let transparent = palette.transparentIndex
        bytes += [0x21, 0xF9, 0x04, UInt8(1 << 2) | (transparent == nil ? 0 : 1)]
        appendWord(max(2, min(delay, 65_535)))
        bytes += [UInt8(transparent ?? 0), 0x00]
        // Image descriptor, no local colour table, not interlaced.
        bytes.append(0x2C)
        appendWord(box.x)
        appendWord(box.y)
        appendWord(box.width)
        appendWord(box.height)
        bytes.append(0x00)
        let minimumCodeSize = max(2, palette.bitsPerIndex)
        bytes.append(UInt8(minimumCodeSize))
        compressor.compress(current, rowLength: width, box: box, minimumCodeSize: minimumCodeSize, into: &bytes)
        swap(&previous, &current)
        frameCount += 1
    }

    /// Ends the GIF and returns its bytes.
    public mutating func finish() -> [UInt8] {
        bytes.append(0x3B)
        return bytes
    }

    private mutating func appendWord(_ value: Int) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)]
    }
}
