/// Maps RGBA pixels to the index of their nearest palette colour, through a table by each colour's
/// top 6 bits per channel (2¹⁸ entries): a colour's lookup is one load once its cell was seen.
public struct PaletteLookup: Sendable {
    /// The palette, as (r, g, b) per index.
    public let colors: [(r: UInt8, g: UInt8, b: UInt8)]
    /// The index pixels with alpha below 128 get (and that no opaque pixel gets), if any.
    public let transparentIndex: UInt8?
    /// Nearest index per cell; 0xFFFF: not yet computed.
    private var table = [UInt16](repeating: 0xFFFF, count: 1 << 18)

    /// A lookup for `colors` (1…256 of them; `transparentIndex` among them when given).
    public init(colors: [(r: UInt8, g: UInt8, b: UInt8)], transparentIndex: Int?) {
        guard (1...256).contains(colors.count), transparentIndex.map({ (0..<colors.count).contains($0) }) ?? true else {
            fatalError("a palette of \(colors.count) colours with transparent index \(String(describing: transparentIndex))")
        }
        self.colors = colors
        self.transparentIndex = transparentIndex.map { UInt8($0) }
    }

    /// The 18-bit lookup cell of a colour: its top 6 bits per channel.
    @inline(__always)
    public static func cell(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt32 {
        UInt32(r >> 2) << 12 | UInt32(g >> 2) << 6 | UInt32(b >> 2)
    }

    /// Writes the index of each of the `count` pixels of `rgba` (4 bytes each) into `indices`,
    /// resized to `count` when it is not.
    public mutating func index(rgba: [UInt8], count: Int, into indices: inout [UInt8]) {
        guard count >= 0, rgba.count >= 4 * count else { fatalError("\(count) pixels from \(rgba.count) RGBA bytes") }
        if indices.count != count { indices = [UInt8](repeating: 0, count: count) }
        let transparent = transparentIndex
        let colors = self.colors
        rgba.withUnsafeBufferPointer { pixels in
            indices.withUnsafeMutableBufferPointer { output in
                table.withUnsafeMutableBufferPointer { table in
                    for pixel in 0..<count {
                        let offset = pixel * 4
                        if let transparent, pixels[offset + 3] < 128 {
                            output[pixel] = transparent
                            continue
                        }
                        let (r, g, b) = (pixels[offset], pixels[offset + 1], pixels[offset + 2])
                        let key = Int(Self.cell(r, g, b))
                        var entry = table[key]
                        if entry == 0xFFFF {
                            entry = UInt16(Self.nearest(r, g, b, in: colors, skipping: transparent.map(Int.init)))
                            table[key] = entry
                        }
                        output[pixel] = UInt8(entry)
                    }
                }
            }
        }
    }

    /// The opaque entry nearest to a colour (squared RGB distance). A lookup cell keeps the answer
    /// for the first colour of the cell that asked; its neighbours differ by less than 4 per channel.
    private static func nearest(_ r: UInt8, _ g: UInt8, _ b: UInt8, in colors: [(r: UInt8, g: UInt8, b: UInt8)], skipping skipped: Int?) -> Int {
        var best = 0
        var bestDistance = Int.max
        for (index, color) in colors.enumerated() where index != skipped {
            let dr = Int(color.r) - Int(r), dg = Int(color.g) - Int(g), db = Int(color.b) - Int(b)
            let distance = dr * dr + dg * dg + db * db
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return best
    }
}
