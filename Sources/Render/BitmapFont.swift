/// A built-in bitmap font: 5 × 7 glyphs (plus 2 rows for accents over capitals and 2 for descenders)
/// covering ASCII, Latin-1 letters (ä ö ü ß Ä Ö Ü é è à ç ñ ...), a few Latin Extended-A letters and
/// typographic quotes and dashes. Glyphs are data in ``BitmapFontGlyphs``; characters the font
/// cannot draw show as a box.
///
/// Metrics in font pixels (multiply by the integer `scale` when drawing): each character advances
/// ``advance`` = 6, a line is ``lineHeight`` = 12 tall, and the top of a capital sits
/// ``ascent`` = 2 below the line's top.
public struct BitmapFont: Sendable {
    /// One glyph: 5-bit rows (bit 4 = leftmost column), the first of which sits at `top`
    /// (0 = cap top; −2 for accents over capitals).
    public struct Glyph: Sendable, Equatable {
        /// Rows of 5 bits, bit 4 the leftmost column.
        public var rows: [UInt8]
        /// The row of `rows[0]` relative to the cap top.
        public var top: Int

        /// Whether the pixel at (`column`, `row`) is ink; `row` is relative to the cap top.
        public func isInk(column: Int, row: Int) -> Bool {
            let index = row - top
            guard column >= 0, column < 5, rows.indices.contains(index) else { return false }
            return rows[index] & (1 << (4 - column)) != 0
        }
    }

    /// The font that every render uses.
    public static let standard = BitmapFont()

    /// Horizontal advance per character, in font pixels.
    public let advance = 6
    /// Height of one line, in font pixels.
    public let lineHeight = 12
    /// Distance from a line's top to the cap top, in font pixels (room for accents over capitals).
    public let ascent = 2

    private let glyphs: [Character: Glyph]
    private let missingGlyph: Glyph

    private init() {
        func rows(_ text: String) -> [UInt8] {
            text.split(separator: " ").map { row in
                row.reduce(UInt8(0)) { bits, cell in bits << 1 | (cell == "#" ? 1 : 0) }
            }
        }
        var table: [Character: Glyph] = [:]
        for (character, data) in BitmapFontGlyphs.base {
            table[character] = Glyph(rows: rows(data), top: 0)
        }
        for (letter, baseLetter, accentName) in BitmapFontGlyphs.composed {
            guard let base = table[baseLetter], let accent = BitmapFontGlyphs.accents[accentName] else { continue }
            let mark = rows(accent)
            var glyph = base
            if accentName == "cedilla" {
                // Under the baseline (rows 7–8), merged with any descender the base has.
                while glyph.rows.count < 9 { glyph.rows.append(0) }
                glyph.rows[7] |= mark[0]
                glyph.rows[8] |= mark[1]
            } else if baseLetter.isUppercase {
                glyph.rows = mark + glyph.rows
                glyph.top = -2
            } else {
                // Lowercase letters leave rows 0–1 free (x-height starts at row 2).
                glyph.rows[0] = mark[0]
                glyph.rows[1] = mark[1]
            }
            table[letter] = glyph
        }
        self.glyphs = table
        self.missingGlyph = Glyph(rows: rows(BitmapFontGlyphs.missing), top: 0)
    }

    /// Whether the font has a glyph for `character` (others draw as a box).
    public func canDraw(_ character: Character) -> Bool {
        glyphs[character] != nil
    }

    /// The glyph for `character`; the box glyph when the font has none. Tabs draw as spaces.
    public func glyph(for character: Character) -> Glyph {
        if let glyph = glyphs[character] { return glyph }
        if character == "\t" { return glyphs[" "]! }
        return missingGlyph
    }

    /// Width and height in pixels of `text` drawn at `scale` (lines split at newlines).
    public func size(of text: String, scale: Int = 1) -> (width: Int, height: Int) {
        let s = max(scale, 1)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let longest = lines.map(\.count).max() ?? 0
        // The last column's 1-pixel gap is not part of the text's width.
        let width = longest == 0 ? 0 : (longest * advance - 1) * s
        return (width, lines.count * lineHeight * s)
    }

    /// `text` cut to at most `width` pixels at `scale`, ending in "..." when it was cut.
    public func truncated(_ text: String, toWidth width: Int, scale: Int = 1) -> String {
        let s = max(scale, 1)
        let fits = max(0, (width / s + 1) / advance)
        guard text.count > fits else { return text }
        guard fits > 3 else { return String(text.prefix(fits)) }
        return String(text.prefix(fits - 3)) + "..."
    }
}

extension Canvas {
    /// Draws `text` with its line box's top-left corner at (x, y), each font pixel `scale × scale`
    /// canvas pixels. Newlines start new lines; characters the font lacks draw as boxes.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 1, color: Color,
                                  font: BitmapFont = .standard) {
        let s = max(scale, 1)
        var penX = x, penY = y
        for character in text {
            if character == "\n" || character == "\r\n" {
                penX = x
                penY += font.lineHeight * s
                continue
            }
            let glyph = font.glyph(for: character)
            let originY = penY + (font.ascent + glyph.top) * s
            for (rowIndex, bits) in glyph.rows.enumerated() where bits != 0 {
                for column in 0..<5 where bits & (1 << (4 - column)) != 0 {
                    fillRect(x: penX + column * s, y: originY + rowIndex * s, width: s, height: s, color: color)
                }
            }
            penX += font.advance * s
        }
    }
}
