/// The pre-tokenisers of `tokenizer.json` (`"pre_tokenizer"`) this package runs: they cut
/// normalised text into the words the model then splits into pieces.
indirect enum PreTokenizer: Sendable {
    /// `BertPreTokenizer`: split at whitespace (dropped) and around each punctuation character.
    case bert
    /// `WhitespaceSplit`: split at whitespace (dropped).
    case whitespaceSplit
    /// `Metaspace`: spaces become `replacement` (`▁`), which is prepended to the text as
    /// `prepend` says and, with `split`, starts each word.
    case metaspace(replacement: Unicode.Scalar, prepend: Prepend, split: Bool)
    case sequence([PreTokenizer])

    enum Prepend: String, Sendable { case always, first, never }

    static func read(_ json: JSONFields) throws(TextEncoderError) -> PreTokenizer {
        let type = try json.string("type")
        switch type {
        case "BertPreTokenizer": return .bert
        case "WhitespaceSplit": return .whitespaceSplit
        case "Metaspace":
            var replacement = "▁"
            if let given = try json.optionalString("replacement") {
                replacement = given
            } else if let legacy = try json.optionalString("str_rep") {
                replacement = legacy
            }
            guard replacement.unicodeScalars.count == 1, let scalar = replacement.unicodeScalars.first else {
                throw json.error("replacement", "is '\(replacement)'; it must be one character")
            }
            let prepend: Prepend
            if let scheme = try json.optionalString("prepend_scheme") {
                guard let value = Prepend(rawValue: scheme) else {
                    throw json.error("prepend_scheme", "is '\(scheme)'; expected always, first or never")
                }
                prepend = value
            } else {
                prepend = try json.bool("add_prefix_space", default: true) ? .always : .never
            }
            return .metaspace(replacement: scalar, prepend: prepend, split: try json.bool("split", default: true))
        case "Sequence":
            var parts: [PreTokenizer] = []
            for item in try json.objects("pretokenizers") { parts.append(try read(item)) }
            return .sequence(parts)
        default:
            throw json.error("type", "is '\(type)', a pre-tokenizer this tool does not support (supported: BertPreTokenizer, WhitespaceSplit, Metaspace, Sequence)")
        }
    }

    /// Splits `words` further; `isFirstSegment` says whether they come from the start of the input
    /// (not after an added token), which `Metaspace`'s `first` scheme asks.
    func split(_ words: [[Unicode.Scalar]], isFirstSegment: Bool) -> [[Unicode.Scalar]] {
        switch self {
        case .bert:
            return words.flatMap { word in
                Self.splitWhitespace(word).flatMap(Self.isolatePunctuation)
            }
        case .whitespaceSplit:
            return words.flatMap(Self.splitWhitespace)
        case let .metaspace(replacement, prepend, split):
            return words.enumerated().flatMap { index, word -> [[Unicode.Scalar]] in
                var text = word.map { $0 == " " ? replacement : $0 }
                let prepends = prepend == .always || prepend == .first && isFirstSegment && index == 0
                if prepends && text.first != replacement { text.insert(replacement, at: 0) }
                guard split else { return [text] }
                // Each replacement character starts a new word (it is merged with what follows).
                var out: [[Unicode.Scalar]] = []
                var current: [Unicode.Scalar] = []
                for c in text {
                    if c == replacement && !current.isEmpty { out.append(current); current = [] }
                    current.append(c)
                }
                if !current.isEmpty { out.append(current) }
                return out
            }
        case let .sequence(parts):
            var out = words
            for part in parts { out = part.split(out, isFirstSegment: isFirstSegment) }
            return out
        }
    }

    static func splitWhitespace(_ word: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        word.split(whereSeparator: UnicodeClasses.isWhitespace).map(Array.init)
    }

    static func isolatePunctuation(_ word: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var out: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for c in word {
            if UnicodeClasses.isPunctuation(c) {
                if !current.isEmpty { out.append(current); current = [] }
                out.append([c])
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
