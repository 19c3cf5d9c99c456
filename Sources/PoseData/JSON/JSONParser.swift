import Platform

/// A strict JSON parser over UTF-8 bytes with byte offsets in its errors.
///
/// It parses generic values (``parseValue()``) and, for the bulk of pose data, reads numbers
/// straight into `Float` (``parseFloat()``) so that a dataset of millions of values parses without
/// building a value tree. Nesting is limited to ``maximumDepth`` so hostile input cannot exhaust
/// the stack.
struct JSONParser {
    let bytes: [UInt8]
    let file: String?
    private(set) var index = 0
    private var depth = 0
    static let maximumDepth = 256

    init(bytes: [UInt8], file: String?) {
        self.bytes = bytes
        self.file = file
    }

    func error(_ message: String, at position: Int? = nil) -> PoseDataError {
        .malformed(file: file, offset: position ?? index, message: message)
    }

    // MARK: Tokens

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, without consuming it; nil at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Consumes `byte` (after whitespace) or throws, naming what was expected.
    mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(PoseDataError) {
        // Whitespace-free JSON (the bulk of exported frames) skips the general path.
        if index < bytes.count, bytes[index] == byte {
            index += 1
            return
        }
        guard peek() == byte else { throw unexpected(expected: what()) }
        index += 1
    }

    /// Consumes `byte` if it comes next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    func unexpected(expected: String) -> PoseDataError {
        guard index < bytes.count else { return error("the JSON ends early; expected \(expected)") }
        let byte = bytes[index]
        let shown = (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return error("expected \(expected), found \(shown)")
    }

    /// Throws unless only whitespace is left.
    mutating func expectEnd() throws(PoseDataError) {
        if peek() != nil { throw unexpected(expected: "the end of the JSON") }
    }

    // MARK: Structure

    mutating func enter() throws(PoseDataError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("JSON nested deeper than \(Self.maximumDepth) levels") }
    }

    mutating func leave() { depth -= 1 }

    /// Parses an object member by member: `body` is called with each key and must consume the value.
    mutating func parseObject(_ body: (inout JSONParser, String) throws(PoseDataError) -> Void) throws(PoseDataError) {
        try expect(UInt8(ascii: "{"), "'{'")
        try enter()
        defer { leave() }
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            guard peek() == UInt8(ascii: "\"") else { throw unexpected(expected: "a member name in quotes") }
            let key = try parseString()
            try expect(UInt8(ascii: ":"), "':' after member name \(QuotedText.quoted(key))")
            try body(&self, key)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "',' or '}'")
    }

    /// Parses an array element by element: `body` is called with each index and must consume it.
    mutating func parseArray(_ body: (inout JSONParser, Int) throws(PoseDataError) -> Void) throws(PoseDataError) {
        try expect(UInt8(ascii: "["), "'['")
        try enter()
        defer { leave() }
        if consume(UInt8(ascii: "]")) { return }
        var count = 0
        repeat {
            try body(&self, count)
            count += 1
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "',' or ']'")
    }

    /// Parses any value into a tree.
    mutating func parseValue() throws(PoseDataError) -> JSONValue {
        guard let byte = peek() else { throw error("the JSON ends early; expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            var members: [(key: String, value: JSONValue)] = []
            try parseObject { (parser: inout JSONParser, key: String) throws(PoseDataError) in
                members.append((key, try parser.parseValue()))
            }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try parseArray { (parser: inout JSONParser, _: Int) throws(PoseDataError) in
                elements.append(try parser.parseValue())
            }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        default:
            return .number(try parseDouble())
        }
    }

    /// Consumes `null` if it comes next.
    mutating func consumeNull() throws(PoseDataError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try parseLiteral("null")
        return true
    }

    private mutating func parseLiteral(_ literal: String) throws(PoseDataError) {
        let start = index
        for expected in literal.utf8 {
            guard index < bytes.count, bytes[index] == expected else {
                throw error("expected a value ('\(literal)'?)", at: start)
            }
            index += 1
        }
    }

    // MARK: Strings

    mutating func parseString() throws(PoseDataError) -> String {
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = bytes[start..<index]
                index += 1
                guard let string = String(validating: slice, as: UTF8.self) else {
                    throw error("the string is not valid UTF-8", at: start)
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character 0x\(String(byte, radix: 16)) inside a string (escape it)") }
            index += 1
        }
        var utf8 = Array(bytes[start..<min(index, bytes.count)])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    throw error("the string is not valid UTF-8", at: start)
                }
                return string
            }
            if byte < 0x20 { throw error("control character 0x\(String(byte, radix: 16)) inside a string (escape it)") }
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                continue
            }
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("a \\u escape holds an unpaired high surrogate")
                    }
                    index += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("a \\u escape holds an unpaired high surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw error("a \\u escape holds a lone surrogate") }
                utf8 += Array(String(Character(unicode)).utf8)
            default:
                throw error("unknown escape '\\\(Character(Unicode.Scalar(escape)))' in a string", at: index - 2)
            }
        }
        throw error("the JSON ends inside a string that starts at byte \(start - 1)")
    }

    private mutating func parseHex4() throws(PoseDataError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("the JSON ends inside a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    // MARK: Numbers

    /// The extent of a JSON number starting at the current byte, with its decimal significand
    /// (up to 19 digits) and exponent when they fit the fast path.
    private mutating func scanNumber() throws(PoseDataError) -> (start: Int, significand: UInt64, exponent: Int, negative: Bool, exact: Bool) {
        skipWhitespace()
        let start = index
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var significand: UInt64 = 0
        var digits = 0
        var exponent = 0
        var exact = true
        let integerStart = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
            let digit = UInt64(bytes[index] &- UInt8(ascii: "0"))
            if digits < 19 {
                significand = significand * 10 + digit
                if significand != 0 { digits += 1 }
            } else {
                exponent += 1
                if digit != 0 { exact = false }
            }
            index += 1
        }
        guard index > integerStart else {
            index = start
            throw unexpected(expected: "a value")
        }
        if index - integerStart > 1, bytes[integerStart] == UInt8(ascii: "0") {
            throw error("numbers cannot have leading zeros", at: integerStart)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                let digit = UInt64(bytes[index] &- UInt8(ascii: "0"))
                if digits < 19 {
                    significand = significand * 10 + digit
                    if significand != 0 { digits += 1 }
                    exponent -= 1
                } else if digit != 0 {
                    exact = false
                }
                index += 1
            }
            guard index > fractionStart else { throw error("a number's '.' must be followed by digits") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            var written = 0
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                if written < 100_000 { written = written * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
                index += 1
            }
            guard index > exponentStart else { throw error("a number's exponent must have digits") }
            exponent += exponentNegative ? -written : written
        }
        return (start, significand, exponent, negative, exact)
    }

    private static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { x, _ in x * 10 } }

    /// Parses a number as `Double`.
    mutating func parseDouble() throws(PoseDataError) -> Double {
        let number = try scanNumber()
        if number.exact, number.significand < (1 << 53), abs(number.exponent) <= 22 {
            // Clinger's fast path: both operands are exact doubles, so one rounding gives the right answer.
            let magnitude = Double(number.significand)
            let value = number.exponent >= 0 ? magnitude * Self.powersOfTen[number.exponent]
                : magnitude / Self.powersOfTen[-number.exponent]
            return number.negative ? -value : value
        }
        let text = String(decoding: bytes[number.start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("the number \(text.prefix(40)) is out of range", at: number.start)
        }
        return value
    }

    /// Parses a number as `Float`, correctly rounded.
    mutating func parseFloat() throws(PoseDataError) -> Float {
        let number = try scanNumber()
        if number.exact, number.significand < (1 << 53), abs(number.exponent) <= 22 {
            let magnitude = Double(number.significand)
            let value = number.exponent >= 0 ? magnitude * Self.powersOfTen[number.exponent]
                : magnitude / Self.powersOfTen[-number.exponent]
            let rounded = Float(value)
            // Rounding the correctly rounded double again is right unless the double fell exactly
            // halfway between two floats; then take the slow, exact path.
            let other = Double(rounded) < value ? rounded.nextUp : rounded.nextDown
            if rounded.isFinite, Double(rounded) == value || abs(Double(other) - value) != abs(value - Double(rounded)) {
                return number.negative ? -rounded : rounded
            }
        }
        let text = String(decoding: bytes[number.start..<index], as: UTF8.self)
        guard let value = Float(text), value.isFinite else {
            throw error("the number \(text.prefix(40)) is out of the range of 32-bit floats", at: number.start)
        }
        return value
    }

    /// Parses a number that must be an integer in `range`; `what` names it in errors.
    mutating func parseInteger(in range: ClosedRange<Int>, _ what: String) throws(PoseDataError) -> Int {
        let start = index
        let value = try parseDouble()
        guard value == value.rounded(), value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw error("\(what) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(value)", at: start)
        }
        return Int(value)
    }
}
