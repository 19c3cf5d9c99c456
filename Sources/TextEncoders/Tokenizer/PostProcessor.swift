/// The special tokens around a single sequence (`"post_processor"` of `tokenizer.json`):
/// `[CLS] … [SEP]` for BERT, `… </s>` for T5.
struct PostProcessor: Sendable {
    /// Ids before and after the sequence.
    var prefix: [Int] = []
    var suffix: [Int] = []

    var addedCount: Int { prefix.count + suffix.count }

    func apply(_ ids: [Int]) -> [Int] { prefix + ids + suffix }

    /// Reads a `"post_processor"` object (TemplateProcessing or BertProcessing), or none.
    static func read(_ json: JSONFields?, vocabularySize: Int) throws(TextEncoderError) -> PostProcessor {
        guard let json else { return PostProcessor() }
        let type = try json.string("type")
        switch type {
        case "TemplateProcessing":
            var specials: [String: [Int]] = [:]
            if let table = json.object["special_tokens"] as? [String: Any] {
                for (name, value) in table {
                    guard let entry = value as? [String: Any], let ids = entry["ids"] as? [Any] else {
                        throw json.error("special_tokens.\(name)", "is not an object with a list of ids")
                    }
                    var out: [Int] = []
                    for id in ids {
                        guard let n = (id as? NSNumberLike)?.integerValue, n >= 0, n < vocabularySize else {
                            throw json.error("special_tokens.\(name).ids", "holds \(id), not an id in 0..<\(vocabularySize)")
                        }
                        out.append(n)
                    }
                    specials[name] = out
                }
            }
            var processor = PostProcessor()
            var seenSequence = false
            for (i, item) in try json.array("single").enumerated() {
                guard let piece = item as? [String: Any] else { throw json.error("single[\(i)]", "is not an object") }
                if let sequence = piece["Sequence"] as? [String: Any] {
                    guard (sequence["id"] as? String) == "A", !seenSequence else {
                        throw json.error("single[\(i)]", "is a sequence other than one 'A'; a single text has exactly one")
                    }
                    seenSequence = true
                } else if let special = piece["SpecialToken"] as? [String: Any], let name = special["id"] as? String {
                    guard let ids = specials[name] else { throw json.error("single[\(i)]", "names special token '\(name)', which special_tokens does not define") }
                    if seenSequence { processor.suffix += ids } else { processor.prefix += ids }
                } else {
                    throw json.error("single[\(i)]", "is neither {\"Sequence\": …} nor {\"SpecialToken\": …}")
                }
            }
            guard seenSequence else { throw json.error("single", "has no {\"Sequence\": {\"id\": \"A\"}} entry") }
            return processor
        case "BertProcessing":
            func id(_ key: String) throws(TextEncoderError) -> Int {
                guard let pair = json.object[key] as? [Any], pair.count == 2, let n = (pair[1] as? NSNumberLike)?.integerValue, n >= 0, n < vocabularySize else {
                    throw json.error(key, "is not a [token, id] pair with an id in the vocabulary")
                }
                return n
            }
            return PostProcessor(prefix: [try id("cls")], suffix: [try id("sep")])
        case "Sequence":
            // Pipelines such as ByteLevel + TemplateProcessing: only the template adds tokens.
            var result = PostProcessor()
            for item in try json.objects("processors") where (item.object["type"] as? String) != "ByteLevel" {
                let part = try read(item, vocabularySize: vocabularySize)
                result.prefix += part.prefix
                result.suffix += part.suffix
            }
            return result
        default:
            throw json.error("type", "is '\(type)', a post-processor this tool does not support (supported: TemplateProcessing, BertProcessing)")
        }
    }
}
