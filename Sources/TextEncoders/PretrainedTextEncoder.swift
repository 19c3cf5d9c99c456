import Foundation

/// A frozen pretrained text encoder read from a Hugging Face model folder (`config.json`,
/// `tokenizer.json`, `model.safetensors` in float32, float16 or bfloat16): a T5-family or
/// BERT-family encoder and its tokenizer, giving each text its token ids and last hidden states.
///
/// Encodings are cached by text (``cachedTexts``). Safe to use from several threads.
public final class PretrainedTextEncoder: Sendable {
    /// The architectures this tool runs.
    public enum Family: String, Sendable {
        /// T5, T5 v1.1, mT5, flan-t5 (`model_type` `t5` or `mt5`).
        case t5
        /// BERT, MiniLM and other `model_type: bert` encoders.
        case bert
    }

    enum Network: Sendable {
        case t5(T5Encoder)
        case bert(BertEncoder)
    }

    /// The folder it was read from.
    public let folder: URL
    /// The model's name: `_name_or_path` of `config.json`, else the folder's name.
    public let name: String
    public let family: Family
    /// ``WeightsHash`` of `model.safetensors`.
    public let weightsHash: String
    /// Width of each hidden state row (`d_model`, `hidden_size`).
    public let width: Int
    public let tokenizer: Tokenizer
    /// Most tokens encoded per text (special tokens included); longer texts lose their end.
    public let maxTokens: Int
    let network: Network
    let cache: TextEncodingCache

    /// Largest `config.json` read.
    static let maxConfigBytes = 1 << 20
    /// Hidden values the cache holds at most (256 MB of Float32).
    public static let cacheCapacity = 64 << 20

    /// Reads the folder at `folder`. Every problem (a missing file, an unsupported `model_type`,
    /// tokenizer or activation, a size above the ceilings, a tensor missing or of the wrong shape)
    /// is an error that names the file and field.
    public init(folder: URL) throws(TextEncoderError) {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw TextEncoderError("text encoder folder \(folder.path) does not exist; give the folder holding config.json, tokenizer.json and model.safetensors (see Docs/text-encoders.md)")
        }
        self.folder = folder
        let configURL = folder.appendingPathComponent("config.json")
        let config = try JSONFields.parse(try Tokenizer.readFile(configURL, limit: Self.maxConfigBytes), file: configURL.path)
        let modelType = try config.optionalString("model_type") ?? ""
        let weightsURL = folder.appendingPathComponent("model.safetensors")
        switch modelType {
        case "t5", "mt5":
            family = .t5
            let encoder = try T5Encoder(config: config, weightsURL: weightsURL)
            network = .t5(encoder)
            width = encoder.width
            maxTokens = EncoderLimits.maxRelativeTokens
        case "bert":
            family = .bert
            let encoder = try BertEncoder(config: config, weightsURL: weightsURL)
            network = .bert(encoder)
            width = encoder.width
            maxTokens = encoder.maxPositions
        default:
            throw config.error("model_type", "is '\(modelType)', a model this tool does not run (supported: t5, mt5 — the T5 family; bert — BERT, MiniLM)")
        }
        tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
        let modelVocabulary: Int
        switch network {
        case let .t5(e): modelVocabulary = e.vocabularySize
        case let .bert(e): modelVocabulary = e.vocabularySize
        }
        guard tokenizer.vocabularySize <= modelVocabulary else {
            throw TextEncoderError("\(folder.path): tokenizer.json has ids up to \(tokenizer.vocabularySize - 1) but config.json's vocab_size is \(modelVocabulary); the two files belong to different models")
        }
        let recorded = try config.optionalString("_name_or_path") ?? ""
        name = recorded.isEmpty ? folder.standardizedFileURL.lastPathComponent : recorded
        weightsHash = try WeightsHash.of(fileAt: weightsURL.path)
        cache = TextEncodingCache(maxValues: Self.cacheCapacity)
    }

    /// The token ids of `text`, special tokens included, at most ``maxTokens``.
    public func tokenize(_ text: String) -> [Int] {
        tokenizer.encode(text, limit: maxTokens)
    }

    /// The ids and last hidden states of `text`, from the cache when it was encoded before.
    public func encode(_ text: String) -> TextEncoding {
        if let cached = cache.value(for: text) { return cached }
        let encoding = encode(ids: tokenize(text))
        cache.store(encoding, for: text)
        return encoding
    }

    /// The last hidden states of `ids` (each below the vocabulary size, at most ``maxTokens``).
    public func encode(ids: [Int]) -> TextEncoding {
        var profile = EncoderProfile()
        return encode(ids: ids, profile: &profile)
    }

    /// ``encode(ids:)``, adding where its time went to `profile` (`hybridsign bench text-encode`).
    public func encode(ids: [Int], profile: inout EncoderProfile) -> TextEncoding {
        let hidden: [Float]
        switch network {
        case let .t5(e): hidden = e.encode(ids, profile: &profile)
        case let .bert(e): hidden = e.encode(ids, profile: &profile)
        }
        return TextEncoding(ids: ids, hidden: hidden, width: width)
    }

    /// How many texts the cache holds.
    public var cachedTexts: Int { cache.count }
}

extension PretrainedTextEncoder {
    private static let loaded = LoadedEncoders()

    /// The encoder of `folder`, read once per process and shared (a notebook that loads several
    /// models trained with t5-base holds its 900 MB of weights once). Read again when the weights
    /// file changed since (its size or modification time).
    public static func shared(folder: URL) throws(TextEncoderError) -> PretrainedTextEncoder {
        try loaded.encoder(folder: folder)
    }
}

/// The process's loaded encoders by folder, for ``PretrainedTextEncoder/shared(folder:)``.
private final class LoadedEncoders: @unchecked Sendable {
    // Sendable: every access to `encoders` holds `lock`.
    private let lock = NSLock()
    private var encoders: [String: (stamp: String, encoder: PretrainedTextEncoder)] = [:]

    func encoder(folder: URL) throws(TextEncoderError) -> PretrainedTextEncoder {
        let key = folder.standardizedFileURL.path
        let weights = folder.appendingPathComponent("model.safetensors").path
        let attributes = try? FileManager.default.attributesOfItem(atPath: weights)
        let stamp = "\(attributes?[.size] ?? "")-\(attributes?[.modificationDate] ?? "")"
        lock.lock()
        defer { lock.unlock() }
        if let known = encoders[key], known.stamp == stamp { return known.encoder }
        let encoder = try PretrainedTextEncoder(folder: folder)
        encoders[key] = (stamp, encoder)
        return encoder
    }
}
