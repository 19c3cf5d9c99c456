/// SentencePiece's compiled normalisation rules (`precompiled_charsmap` of a `Precompiled`
/// normalizer, the form in which T5's tokenizer carries its NFKC-like map).
///
/// The blob is a little-endian `UInt32` byte length of a double-array trie (darts-clone units),
/// the trie, then NUL-terminated replacement strings; each trie value is the offset of one. As in
/// the tokenizers library, each grapheme cluster shorter than 6 bytes is looked up whole first,
/// then each scalar; the shortest matching key wins. Every index read from the blob is checked,
/// so a damaged map normalises less, never reads out of bounds.
struct PrecompiledCharsMap: Sendable {
    let units: [UInt32]
    let normalized: [UInt8]

    init(bytes: [UInt8], file: String) throws(TextEncoderError) {
        guard bytes.count >= 4 else { throw TextEncoderError("\(file): precompiled_charsmap is \(bytes.count) bytes, too short to hold its trie length") }
        let trieSize = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
        guard trieSize % 4 == 0, trieSize <= bytes.count - 4 else {
            throw TextEncoderError("\(file): precompiled_charsmap declares a \(trieSize)-byte trie but holds \(bytes.count - 4) bytes after the length")
        }
        var units: [UInt32] = []
        units.reserveCapacity(trieSize / 4)
        for i in stride(from: 4, to: 4 + trieSize, by: 4) {
            units.append(UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
        self.units = units
        self.normalized = Array(bytes[(4 + trieSize)...])
    }

    /// The replacement for `key` (UTF-8), or nil when no prefix of it is in the map.
    func transform(_ key: [UInt8]) -> [UInt8]? {
        guard let value = shortestPrefixValue(key) else { return nil }
        let start = Int(value)
        guard start < normalized.count else { return nil }
        var end = start
        while end < normalized.count && normalized[end] != 0 { end += 1 }
        return Array(normalized[start..<end])
    }

    private func shortestPrefixValue(_ key: [UInt8]) -> UInt32? {
        guard !units.isEmpty else { return nil }
        var position = Self.offset(units[0])
        for byte in key {
            if byte == 0 { break }
            position ^= Int(byte)
            guard position >= 0, position < units.count else { return nil }
            let unit = units[position]
            // The label: the byte, plus the top bit for a leaf.
            guard unit & ((1 << 31) | 0xFF) == UInt32(byte) else { return nil }
            position ^= Self.offset(unit)
            if (unit >> 8) & 1 == 1 {
                guard position >= 0, position < units.count else { return nil }
                return units[position] & ((1 << 31) - 1)
            }
        }
        return nil
    }

    private static func offset(_ unit: UInt32) -> Int {
        Int((unit >> 10) << ((unit & (1 << 9)) >> 6))
    }

    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.count)
        for grapheme in String(String.UnicodeScalarView(text)) {
            let bytes = Array(String(grapheme).utf8)
            if bytes.count < 6, let replacement = transform(bytes) {
                out.unicodeScalars.append(contentsOf: String(decoding: replacement, as: UTF8.self).unicodeScalars)
                continue
            }
            for scalar in grapheme.unicodeScalars {
                if let replacement = transform(Array(String(scalar).utf8)) {
                    out.unicodeScalars.append(contentsOf: String(decoding: replacement, as: UTF8.self).unicodeScalars)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return Array(out.unicodeScalars)
    }
}
