extension PickleMachine {
    /// An integer from little-endian two's-complement bytes (LONG1/LONG4): `.int` when it fits in
    /// 64 bits, else `.bigInt` with redundant sign bytes removed.
    static func integer(fromTwosComplement bytes: ArraySlice<UInt8>) -> PickleNode {
        guard let last = bytes.last else { return .int(0) }
        let negative = last & 0x80 != 0
        let filler: UInt8 = negative ? 0xFF : 0x00
        var trimmed = Array(bytes)
        // Drop high bytes that only repeat the sign.
        while trimmed.count > 1, trimmed[trimmed.count - 1] == filler,
              (trimmed[trimmed.count - 2] & 0x80 != 0) == negative {
            trimmed.removeLast()
        }
        guard trimmed.count <= 8 else { return .bigInt(trimmed) }
        var value: UInt64 = negative ? UInt64.max : 0
        for (index, byte) in trimmed.enumerated() {
            value &= ~(UInt64(0xFF) << (8 * UInt64(index)))
            value |= UInt64(byte) << (8 * UInt64(index))
        }
        return .int(Int(Int64(bitPattern: value)))
    }

    /// Little-endian two's-complement bytes of a decimal integer literal (optional sign), or nil.
    static func twosComplement(decimal text: String) -> [UInt8]? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var limbs: [UInt32] = [0]  // little-endian base 2³²
        for digit in digits.utf8 {
            var carry = UInt64(digit - UInt8(ascii: "0"))
            for index in limbs.indices {
                let product = UInt64(limbs[index]) * 10 + carry
                limbs[index] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }
        var bytes = limbs.flatMap { limb in (0..<4).map { UInt8(truncatingIfNeeded: limb >> (8 * $0)) } }
        bytes.append(0)  // room for the sign bit
        if negative {
            var carry = 1
            for index in bytes.indices {
                let sum = Int(~bytes[index]) + carry
                bytes[index] = UInt8(truncatingIfNeeded: sum)
                carry = sum >> 8
            }
        }
        return bytes
    }

    /// Python 2 `str` bytes as text, one character per byte, as `encoding="latin1"` reads them.
    static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// The bytes of a quoted Python 2 string literal (`'...'` or `"..."` with backslash escapes),
    /// as protocol 0's STRING stores them; nil when the line is not such a literal.
    static func decodeQuotedString(_ line: [UInt8]) -> [UInt8]? {
        var body = line[...]
        while let last = body.last, last == 0x0D || last == 0x20 { body = body.dropLast() }
        guard body.count >= 2, let quote = body.first, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\""),
              body.last == quote else { return nil }
        body = body.dropFirst().dropLast()
        var result: [UInt8] = []
        result.reserveCapacity(body.count)
        var index = body.startIndex
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while index < body.endIndex {
            let byte = body[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else { result.append(byte); continue }
            guard index < body.endIndex else { return nil }
            let escape = body[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "a"): result.append(0x07)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "v"): result.append(0x0B)
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "x"):
                guard index + 1 < body.endIndex, let high = hexValue(body[index]), let low = hexValue(body[index + 1]) else { return nil }
                result.append(high << 4 | low)
                index += 2
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escape - UInt8(ascii: "0"))
                var taken = 1
                while taken < 3, index < body.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(body[index]) {
                    value = value * 8 + Int(body[index] - UInt8(ascii: "0"))
                    index += 1
                    taken += 1
                }
                result.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): result.append(escape)
            default:
                result.append(UInt8(ascii: "\\"))
                result.append(escape)
            }
        }
        return result
    }

    /// Text in Python's `raw-unicode-escape` encoding (protocol 0's UNICODE): Latin-1 bytes with
    /// `\uXXXX` and `\UXXXXXXXX` escapes.
    static func decodeRawUnicodeEscape(_ line: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte == UInt8(ascii: "\\"), index + 1 < line.count,
               line[index + 1] == UInt8(ascii: "u") || line[index + 1] == UInt8(ascii: "U") {
                let width = line[index + 1] == UInt8(ascii: "u") ? 4 : 8
                if index + 2 + width <= line.count,
                   let code = UInt32(String(decoding: line[(index + 2)..<(index + 2 + width)], as: UTF8.self), radix: 16),
                   let scalar = Unicode.Scalar(code) {
                    scalars.append(scalar)
                    index += 2 + width
                    continue
                }
            }
            scalars.append(Unicode.Scalar(byte))
            index += 1
        }
        return String(scalars)
    }
}
