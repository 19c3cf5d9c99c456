import Foundation

/// The text normalisers of `tokenizer.json` (`"normalizer"`) this package runs. Each maps Unicode
/// scalars to Unicode scalars exactly as the tokenizers library maps Rust `char`s.
indirect enum Normalizer: Sendable {
    /// `BertNormalizer`: drop control characters and map whitespace to spaces, surround CJK
    /// ideographs with spaces, strip accents (NFD, then drop nonspacing marks), lowercase.
    case bert(cleanText: Bool, separateChineseCharacters: Bool, stripAccents: Bool, lowercase: Bool)
    case nfc, nfd, nfkc, nfkd
    case lowercase
    /// `StripAccents`: drops combining marks (it does not decompose; pipelines put NFD before it).
    case stripAccents
    case strip(left: Bool, right: Bool)
    case replace(TextPattern, with: [Unicode.Scalar])
    case prepend([Unicode.Scalar])
    /// `Precompiled`: SentencePiece's compiled normalisation rules (T5's NFKC-like map).
    case precompiled(PrecompiledCharsMap)
    case sequence([Normalizer])

    /// Reads a `"normalizer"` object; an unknown type is an error naming it.
    static func read(_ json: JSONFields) throws(TextEncoderError) -> Normalizer {
        let type = try json.string("type")
        switch type {
        case "BertNormalizer":
            let lowercase = try json.bool("lowercase", default: true)
            // `strip_accents: null` follows `lowercase`, as in the original BERT.
            return .bert(cleanText: try json.bool("clean_text", default: true),
                         separateChineseCharacters: try json.bool("handle_chinese_chars", default: true),
                         stripAccents: try json.optionalBool("strip_accents") ?? lowercase, lowercase: lowercase)
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Lowercase": return .lowercase
        case "StripAccents": return .stripAccents
        case "Strip": return .strip(left: try json.bool("strip_left", default: true), right: try json.bool("strip_right", default: true))
        case "Replace":
            return .replace(try TextPattern.read(json.object("pattern")), with: Array(try json.string("content").unicodeScalars))
        case "Prepend": return .prepend(Array(try json.string("prepend").unicodeScalars))
        case "Precompiled":
            // A null map (some converted tokenizers) normalises nothing.
            guard json.has("precompiled_charsmap") else { return .sequence([]) }
            let encoded = try json.string("precompiled_charsmap")
            guard let bytes = Data(base64Encoded: encoded) else {
                throw json.error("precompiled_charsmap", "is not base64")
            }
            return .precompiled(try PrecompiledCharsMap(bytes: [UInt8](bytes), file: json.file))
        case "Sequence":
            var parts: [Normalizer] = []
            for item in try json.objects("normalizers") { parts.append(try read(item)) }
            return .sequence(parts)
        default:
            throw json.error("type", "is '\(type)', a normalizer this tool does not support (supported: BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Strip, Replace, Prepend, Precompiled, Sequence)")
        }
    }

    func apply(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        switch self {
        case let .bert(cleanText, separateChineseCharacters, stripAccents, lowercase):
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(text.count)
            for c in text {
                if cleanText {
                    if c.value == 0 || c.value == 0xFFFD || UnicodeClasses.isControl(c) { continue }
                    if UnicodeClasses.isWhitespace(c) { out.append(" "); continue }
                }
                if separateChineseCharacters && UnicodeClasses.isChineseCharacter(c) {
                    out.append(" "); out.append(c); out.append(" ")
                } else {
                    out.append(c)
                }
            }
            if stripAccents { out = Self.nfd.apply(out).filter { !UnicodeClasses.isNonspacingMark($0) } }
            if lowercase { out = Self.lowercase.apply(out) }
            return out
        case .nfc: return Array(String(String.UnicodeScalarView(text)).precomposedStringWithCanonicalMapping.unicodeScalars)
        case .nfd: return Array(String(String.UnicodeScalarView(text)).decomposedStringWithCanonicalMapping.unicodeScalars)
        case .nfkc: return Array(String(String.UnicodeScalarView(text)).precomposedStringWithCompatibilityMapping.unicodeScalars)
        case .nfkd: return Array(String(String.UnicodeScalarView(text)).decomposedStringWithCompatibilityMapping.unicodeScalars)
        case .lowercase:
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(text.count)
            for c in text {
                if c.isASCII { out.append(Unicode.Scalar(UInt8(ascii: c).lowercasedASCII)) } else { out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars) }
            }
            return out
        case .stripAccents:
            return text.filter {
                switch $0.properties.generalCategory {
                case .nonspacingMark, .spacingMark, .enclosingMark: return false
                default: return true
                }
            }
        case let .strip(left, right):
            var lo = 0, hi = text.count
            if left { while lo < hi && UnicodeClasses.isWhitespace(text[lo]) { lo += 1 } }
            if right { while hi > lo && UnicodeClasses.isWhitespace(text[hi - 1]) { hi -= 1 } }
            return Array(text[lo..<hi])
        case let .replace(pattern, content): return pattern.replacingMatches(in: text, with: content)
        case let .prepend(prefix): return text.isEmpty ? text : prefix + text
        case let .precompiled(map): return map.normalize(text)
        case let .sequence(parts):
            var out = text
            for part in parts { out = part.apply(out) }
            return out
        }
    }
}

extension UInt8 {
    var lowercasedASCII: UInt8 { (0x41...0x5A).contains(self) ? self + 0x20 : self }
}

/// The `pattern` of `Replace` and `Split`: a literal string or a regular expression.
enum TextPattern: Sendable {
    case literal([Unicode.Scalar])
    case regex(RegexPattern)

    static func read(_ json: JSONFields) throws(TextEncoderError) -> TextPattern {
        if json.has("String") { return .literal(Array(try json.string("String").unicodeScalars)) }
        if json.has("Regex") {
            let source = try json.string("Regex")
            guard let regex = try? NSRegularExpression(pattern: source) else {
                throw json.error("Regex", "is '\(source)', not a regular expression this tool can compile")
            }
            return .regex(RegexPattern(regex: regex))
        }
        throw json.error("String", "is missing: a pattern is {\"String\": ...} or {\"Regex\": ...}")
    }

    /// The ranges (in scalar offsets) of the non-overlapping matches, left to right.
    func matches(in text: [Unicode.Scalar]) -> [Range<Int>] {
        switch self {
        case let .literal(needle):
            guard !needle.isEmpty, needle.count <= text.count else { return [] }
            var out: [Range<Int>] = []
            var i = 0
            while i + needle.count <= text.count {
                if text[i] == needle[0] && Array(text[i..<(i + needle.count)]) == needle {
                    out.append(i..<(i + needle.count)); i += needle.count
                } else {
                    i += 1
                }
            }
            return out
        case let .regex(pattern):
            return pattern.matches(in: text)
        }
    }

    func replacingMatches(in text: [Unicode.Scalar], with content: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let found = matches(in: text)
        guard !found.isEmpty else { return text }
        var out: [Unicode.Scalar] = []
        var last = 0
        for range in found {
            out.append(contentsOf: text[last..<range.lowerBound])
            out.append(contentsOf: content)
            last = range.upperBound
        }
        out.append(contentsOf: text[last...])
        return out
    }
}

/// A compiled regular expression, matched on scalars (NSRegularExpression counts UTF-16 units,
/// which are mapped back to scalar offsets).
struct RegexPattern: @unchecked Sendable {
    // Sendable: NSRegularExpression is immutable and documented as thread-safe.
    let regex: NSRegularExpression

    func matches(in text: [Unicode.Scalar]) -> [Range<Int>] {
        let string = String(String.UnicodeScalarView(text))
        var utf16ToScalar: [Int: Int] = [:]
        var unit = 0
        for (i, c) in text.enumerated() {
            utf16ToScalar[unit] = i
            unit += UTF16.width(c)
        }
        utf16ToScalar[unit] = text.count
        return regex.matches(in: string, range: NSRange(location: 0, length: unit)).compactMap { match in
            guard let lo = utf16ToScalar[match.range.location], let hi = utf16ToScalar[match.range.location + match.range.length], lo < hi else { return nil }
            return lo..<hi
        }
    }
}
