/// Writes an animated GIF (GIF89a) in memory: one shared palette, frames with their own delays,
/// looping forever.
///
/// After the first frame only the rectangle that changed is stored (the rest of the previous
/// frame stays on screen), so a skeleton moving on a still background costs little per frame.
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
        let box = frameCount == 0 ? (x: 0, y: 0, width: width, height: height) : changedRectangle()
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

    /// The smallest rectangle holding every pixel that differs from the previous frame (one pixel
    /// when none does: a frame must hold at least one).
    private func changedRectangle() -> (x: Int, y: Int, width: Int, height: Int) {
        var top = height, bottom = -1, left = width, right = -1
        current.withUnsafeBufferPointer { now in
            previous.withUnsafeBufferPointer { before in
                for row in 0..<height {
                    let start = row * width
                    var first = -1
                    for column in 0..<width where now[start + column] != before[start + column] {
                        first = column
                        break
                    }
                    guard first >= 0 else { continue }
                    var last = width - 1
                    while now[start + last] == before[start + last] { last -= 1 }
                    top = min(top, row)
                    bottom = row
                    left = min(left, first)
                    right = max(right, last)
                }
            }
        }
        guard bottom >= 0 else { return (0, 0, 1, 1) }
        return (left, top, right - left + 1, bottom - top + 1)
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

/// GIF's variable-width LZW: codes grow from `minimumCodeSize + 1` to 12 bits; when the table is
/// full a clear code starts a new one. Codes are packed least significant bit first into data
/// sub-blocks of at most 255 bytes.
struct LZWCompressor {
    /// Open-addressed table from (prefix code, next index) to code; a slot is live when its stamp
    /// equals the current generation, so clearing the table costs nothing.
    private var keys = [UInt32](repeating: 0, count: tableSize)
    private var codes = [UInt16](repeating: 0, count: tableSize)
    private var stamps = [UInt32](repeating: 0, count: tableSize)
    private var generation: UInt32 = 0
    private static let tableSize = 1 << 13

    mutating func compress(_ indices: [UInt8], rowLength: Int, box: (x: Int, y: Int, width: Int, height: Int),
                           minimumCodeSize: Int, into output: inout [UInt8]) {
        var writer = BitWriter()
        let clearCode = 1 << minimumCodeSize
        var codeSize = minimumCodeSize + 1
        var nextCode = clearCode + 2
        generation &+= 1
        writer.write(clearCode, bits: codeSize)
        var prefix = -1
        let mask = Self.tableSize - 1
        keys.withUnsafeMutableBufferPointer { keys in
            codes.withUnsafeMutableBufferPointer { codes in
                stamps.withUnsafeMutableBufferPointer { stamps in
                    for row in box.y..<(box.y + box.height) {
                        let start = row * rowLength + box.x
                        for position in start..<(start + box.width) {
                            let index = Int(indices[position])
                            if prefix < 0 {
                                prefix = index
                                continue
                            }
                            let key = UInt32(prefix << 8 | index)
                            var slot = Int((key &* 2_654_435_761) >> 19) & mask
                            var found = -1
                            while stamps[slot] == generation {
                                if keys[slot] == key { found = Int(codes[slot]); break }
                                slot = (slot + 1) & mask
                            }
                            if found >= 0 {
                                prefix = found
                                continue
                            }
                            writer.write(prefix, bits: codeSize)
                            keys[slot] = key
                            codes[slot] = UInt16(nextCode)
                            stamps[slot] = generation
                            // The decoder widens its codes one code later than it adds this entry.
                            if nextCode >= 1 << codeSize { codeSize += 1 }
                            if nextCode == 4095 {
                                // The table is full: start a new one (the last entry is never used).
                                writer.write(clearCode, bits: codeSize)
                                generation &+= 1
                                codeSize = minimumCodeSize + 1
                                nextCode = clearCode + 2
                            } else {
                                nextCode += 1
                            }
                            prefix = index
                        }
                    }
                }
            }
        }
        if prefix >= 0 { writer.write(prefix, bits: codeSize) }
        writer.write(clearCode + 1, bits: codeSize)
        writer.flush(into: &output)
    }
}

/// Packs codes least significant bit first and cuts the bytes into GIF data sub-blocks.
private struct BitWriter {
    private var data: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var pending = 0

    mutating func write(_ code: Int, bits: Int) {
        accumulator |= UInt64(code) << UInt64(pending)
        pending += bits
        while pending >= 8 {
            data.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            pending -= 8
        }
    }

    mutating func flush(into output: inout [UInt8]) {
        if pending > 0 { data.append(UInt8(truncatingIfNeeded: accumulator)) }
        var offset = 0
        while offset < data.count {
            let length = min(255, data.count - offset)
            output.append(UInt8(length))
            output += data[offset..<(offset + length)]
            offset += length
        }
        output.append(0)  // block terminator
    }
}
