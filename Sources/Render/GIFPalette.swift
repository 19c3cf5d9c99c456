import GIFCoding

/// The colours of an animated GIF: at most 256, shared by every frame so colours do not flicker
/// from frame to frame, and a fast map from any colour to its nearest entry.
///
/// Skeleton frames hold few colours (the background, the part colours, their anti-aliased blends
/// and the caption's grey): when the sampled frames have at most 256 distinct colours they are
/// the palette, exactly; otherwise median cut picks 256 from a histogram of the sampled pixels.
public struct GIFPalette: Sendable {
    /// The palette's colours (opaque); index ``transparentIndex`` stands for "no pixel".
    public private(set) var colors: [Color]
    /// The index transparent pixels (alpha below 128) get, when the frames have any.
    public let transparentIndex: Int?
    /// Nearest palette index per colour (``GIFCoding/PaletteLookup``).
    private var lookup: PaletteLookup

    /// Colours at most: GIF's limit.
    public static let maximumColors = 256

    /// A palette for frames like `samples` (some of the animation's frames: first, middle, last).
    public init(sampling samples: [Canvas]) {
        let transparent = samples.contains { !$0.isOpaque }
        let room = Self.maximumColors - (transparent ? 1 : 0)
        var exact: Set<UInt32> = []
        var histogram: [UInt32: Int] = [:]
        for canvas in samples {
            canvas.pixels.withUnsafeBufferPointer { pixels in
                var index = 0
                while index < pixels.count {
                    if pixels[index + 3] >= 128 {
                        let rgb = UInt32(pixels[index]) << 16 | UInt32(pixels[index + 1]) << 8 | UInt32(pixels[index + 2])
                        if exact.count <= room { exact.insert(rgb) }
                        histogram[PaletteLookup.cell(pixels[index], pixels[index + 1], pixels[index + 2]), default: 0] += 1
                    }
                    index += 4
                }
            }
        }
        var chosen: [Color]
        if exact.count <= room {
            chosen = exact.sorted().map { Color(r: UInt8($0 >> 16), g: UInt8($0 >> 8 & 0xFF), b: UInt8($0 & 0xFF)) }
        } else {
            chosen = MedianCut.colors(histogram: histogram, count: room)
        }
        if chosen.isEmpty { chosen = [Color(r: 0, g: 0, b: 0)] }
        if transparent {
            chosen.insert(Color(r: 0, g: 0, b: 0, a: 0), at: 0)
            transparentIndex = 0
        } else {
            transparentIndex = nil
        }
        colors = chosen
        lookup = PaletteLookup(colors: chosen.map { (r: $0.r, g: $0.g, b: $0.b) }, transparentIndex: transparentIndex)
    }

    /// Bits per index in the GIF (1…8): the palette is padded to `1 << bits` entries.
    public var bitsPerIndex: Int {
        var bits = 1
        while 1 << bits < colors.count { bits += 1 }
        return bits
    }

    /// Maps a canvas to palette indices, one byte per pixel, into `indices`.
    public mutating func index(_ canvas: Canvas, into indices: inout [UInt8]) {
        lookup.index(rgba: canvas.pixels, count: canvas.width * canvas.height, into: &indices)
    }
}

/// Median cut: splits the colour cube's occupied cells into `count` boxes, always splitting the
/// box whose pixel count times widest channel range is largest (so a few pixels far from the rest,
/// such as thin bright bones on a dark background, still get a colour of their own) at the
/// pixel-weighted median of that channel, and takes each box's pixel-weighted mean colour.
enum MedianCut {
    /// A cell of the 6-bit-per-channel histogram and its pixel count.
    private struct Entry {
        var r: Int, g: Int, b: Int, count: Int
    }

    static func colors(histogram: [UInt32: Int], count: Int) -> [Color] {
        let entries = histogram.map { key, value in
            Entry(r: Int(key >> 12 & 63), g: Int(key >> 6 & 63), b: Int(key & 63), count: value)
        }
        var boxes: [[Entry]] = [entries]
        var scores = [score(entries)]
        while boxes.count < count {
            guard let index = boxes.indices.filter({ boxes[$0].count > 1 }).max(by: { scores[$0] < scores[$1] }) else { break }
            let box = boxes[index]
            let ranges = self.ranges(box)
            let channel = ranges.firstIndex(of: ranges.max()!)!
            let sorted = box.sorted { value($0, channel) < value($1, channel) }
            let half = weight(sorted) / 2
            var running = 0
            var split = 1
            for (position, entry) in sorted.enumerated() {
                running += entry.count
                if running >= half { split = max(1, min(sorted.count - 1, position + 1)); break }
            }
            boxes[index] = Array(sorted[..<split])
            boxes.append(Array(sorted[split...]))
            scores[index] = score(boxes[index])
            scores.append(score(boxes[boxes.count - 1]))
        }
        return boxes.map { box in
            let total = Double(max(weight(box), 1))
            func mean(_ channel: (Entry) -> Int) -> UInt8 {
                // Cells hold the top 6 bits: a cell's colours centre on value·4 + 1.5.
                let sum = box.reduce(0.0) { $0 + Double(channel($1) * 4) * Double($1.count) }
                return UInt8(min(255, (sum / total + 1.5).rounded()))
            }
            return Color(r: mean(\.r), g: mean(\.g), b: mean(\.b))
        }
    }

    private static func weight(_ box: [Entry]) -> Int { box.reduce(0) { $0 + $1.count } }

    /// The spread of the box's cells along r, g and b.
    private static func ranges(_ box: [Entry]) -> [Int] {
        [box.map(\.r), box.map(\.g), box.map(\.b)].map { ($0.max() ?? 0) - ($0.min() ?? 0) }
    }

    private static func score(_ box: [Entry]) -> Int { weight(box) * (ranges(box).max() ?? 0) }

    private static func value(_ entry: Entry, _ channel: Int) -> Int {
        channel == 0 ? entry.r : channel == 1 ? entry.g : entry.b
    }
}
