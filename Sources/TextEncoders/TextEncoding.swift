/// A text's token ids (special tokens included) and the encoder's last hidden states, one row of
/// `width` values per token.
public struct TextEncoding: Sendable, Equatable {
    public let ids: [Int]
    /// Row-major `[ids.count, width]`.
    public let hidden: [Float]
    public let width: Int

    public init(ids: [Int], hidden: [Float], width: Int) {
        precondition(hidden.count == ids.count * width, "TextEncoding: \(hidden.count) values do not fill \(ids.count) × \(width)")
        self.ids = ids
        self.hidden = hidden
        self.width = width
    }

    /// One JSON line, `{"ids": [...], "hidden": [[...], ...]}` (a non-finite value is `null`).
    public var jsonLine: String {
        var out = "{\"ids\": [" + ids.map(String.init).joined(separator: ", ") + "], \"hidden\": ["
        for row in 0..<ids.count {
            if row > 0 { out += ", " }
            out += "[" + hidden[(row * width)..<((row + 1) * width)].map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ", ") + "]"
        }
        return out + "]}"
    }
}
