/// Text that came from a file or a user, made safe to put in a message or on a terminal.
///
/// A name read from a hostile file may hold ESC or BEL bytes (which a terminal would execute) or
/// run to megabytes (which would bury the message). Every error that quotes file-derived text
/// goes through here: control characters become visible escapes (`\u{1B}` → `\e`, others
/// `\xNN` / `\u{NNNN}`), and the text is cut to `limit` characters with an ellipsis and the
/// original length.
public enum QuotedText {
    /// The default longest quoted text, in characters.
    public static let defaultLimit = 120

    /// `text` with control characters escaped, cut to at most `limit` characters of its own.
    public static func safe(_ text: some StringProtocol, limit: Int = defaultLimit) -> String {
        var out = ""
        var count = 0
        var truncated = false
        for scalar in text.unicodeScalars {
            if count >= limit {
                truncated = true
                break
            }
            out += escaped(scalar)
            count += 1
        }
        if truncated {
            out += "… (\(text.unicodeScalars.count) characters)"
        }
        return out
    }

    /// `text` escaped as ``safe(_:limit:)`` and wrapped in single quotes.
    public static func quoted(_ text: some StringProtocol, limit: Int = defaultLimit) -> String {
        "'" + safe(text, limit: limit) + "'"
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0x00..<0x20, 0x7F: return "\\x" + hex(scalar.value, width: 2)
        // C1 controls, bidirectional overrides and isolates: invisible, and they can reorder or
        // hide the rest of a line on a terminal.
        case 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069:
            return "\\u{" + hex(scalar.value, width: 4) + "}"
        default: return String(scalar)
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
