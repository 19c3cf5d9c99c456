import Platform
import PoseData
import Tensors
import TextEncoders

/// A HybridSign model: the network plus everything that maps between data and model space —
/// the normaliser (fitted on the training set), the text vocabulary, the length model, each
/// joint's mean confidence, and the frame rate of the data it learned from.
///
/// Model space: normalised (x, y) per joint with joints in part order (the layout's parts one
/// after another); missing joints (confidence 0) have x = y = 0.
public final class HybridSignModel {
    /// The network and its configuration.
    public let network: HybridSignNetwork
    public var config: ModelConfig { network.config }
    /// Normalisation of coordinates (data units ↔ model units).
    public let normalizer: Normalizer
    /// The built-in encoder's vocabulary (nil when conditioned on sentence features).
    public let vocabulary: TextVocabulary?
    /// Frames as a function of text length.
    public let lengthModel: LengthModel
    /// Mean confidence of each joint (layout order) in the training data.
    public let jointConfidence: [Float]
    /// Frames per second of generated sequences.
    public let fps: Double
    /// The signers a `signerConditioning` model knows, sorted; signer `signers[k]` has id `k + 1`
    /// (0 is "no signer"). Empty for other models.
    public let signers: [String]
    /// The sampling settings the model recommends, used unless a call sets its own.
    public var samplingDefaults: SamplingDefaults
    /// Layout joint index of each model-space joint.
    public let partOrder: [Int]
    /// The frozen pretrained encoder whose last hidden states condition the model (`text:
    /// sentence` models trained with `--text-encoder`): texts are encoded on the fly.
    public let textEncoder: PretrainedTextEncoder?

    /// A model with a freshly initialised network (seeded).
    public init(config: ModelConfig, normalizer: Normalizer, vocabulary: TextVocabulary?, lengthModel: LengthModel,
                jointConfidence: [Float], fps: Double, signers: [String] = [], samplingDefaults: SamplingDefaults = SamplingDefaults(),
                seed: UInt64, textEncoder: PretrainedTextEncoder? = nil) throws(HybridSignError) {
        if config.text != .sentence && vocabulary == nil {
            throw HybridSignError.invalidConfig("text: \(config.text.rawValue) needs a vocabulary")
        }
        if let textEncoder, config.text != .sentence || config.sentenceWidth != textEncoder.width {
            throw HybridSignError.invalidConfig(
                "a text encoder needs text: sentence with sentenceWidth \(textEncoder.width) (its hidden width); the model has text: \(config.text.rawValue), sentenceWidth \(config.sentenceWidth)")
        }
        guard jointConfidence.count == config.layout.jointCount else {
            throw HybridSignError.invalidConfig("joint confidence has \(jointConfidence.count) values for \(config.layout.jointCount) joints")
        }
        let signers = config.signerConditioning ? Array(Set(signers)).sorted() : []
        network = try HybridSignNetwork(config: config, vocabularySize: vocabulary?.size ?? 1, signers: signers.count, seed: seed)
        self.signers = signers
        self.samplingDefaults = samplingDefaults
        self.normalizer = normalizer
        self.vocabulary = vocabulary
        self.lengthModel = lengthModel
        self.jointConfidence = jointConfidence
        self.fps = fps
        self.textEncoder = textEncoder
        partOrder = config.layout.parts.flatMap(\.joints)
    }

    /// A new model for `dataset`: fits the normaliser, the vocabulary, the length model and the
    /// joint confidences on it; the layout comes from the dataset. With `textEncoder`, the model
    /// reads that encoder's hidden states of each text (`text: sentence`, its width).
    public convenience init(config: ModelConfig, fitting dataset: PoseDataset, seed: UInt64,
                            textEncoder: PretrainedTextEncoder? = nil) throws(HybridSignError) {
        var config = config
        config.layout = dataset.layout
        if let textEncoder {
            config.text = .sentence
            config.sentenceWidth = textEncoder.width
        }
        try TrainingData.check(dataset, config: config, role: "training")
        let normalizer: Normalizer
        do { normalizer = try Normalizer(fitting: dataset) } catch { throw HybridSignError.invalidData("training data: \(error)") }
        let summaries = dataset.samples.summaries
        let vocabulary: TextVocabulary? = switch config.text {
        case .characters: TextVocabulary(unit: .characters, fitting: summaries.compactMap(\.text))
        case .words: TextVocabulary(unit: .words, fitting: summaries.compactMap(\.text))
        case .sentence: nil
        }
        let units: [Int] = summaries.map { summary in
            textEncoder.map { $0.tokenize(summary.text ?? "").count } ?? Self.textUnits(summary, conditioning: config.text)
        }
        let lengths: [Int] = summaries.map { min($0.frameCount, config.maxFrames) }
        try self.init(config: config, normalizer: normalizer, vocabulary: vocabulary,
                      lengthModel: LengthModel(units: units, frames: lengths),
                      jointConfidence: Self.meanConfidence(dataset),
                      fps: summaries.first?.fps ?? 25, signers: summaries.compactMap(\.signer),
                      samplingDefaults: SamplingDefaults(recommendedFor: config), seed: seed, textEncoder: textEncoder)
    }

    /// The id of signer `code` (nil: 0, no signer). An unknown code, or any code for a model
    /// without signer conditioning, is an error that lists what the model knows.
    public func signerID(_ code: String?) throws(HybridSignError) -> Int {
        guard let code else { return 0 }
        guard config.signerConditioning else {
            throw HybridSignError.unknownSigner("this model was trained without signer conditioning, so it takes no signer (got \(QuotedText.quoted(code))); leave the signer out, or train with --signer-conditioning")
        }
        guard let index = signers.firstIndex(of: code) else {
            throw HybridSignError.unknownSigner(
                "unknown signer \(QuotedText.quoted(code)); this model knows: \(signers.map { QuotedText.safe($0) }.joined(separator: ", "))")
        }
        return index + 1
    }

    /// Each joint's confidence averaged over every frame of `dataset` (read one sample at a time).
    static func meanConfidence(_ dataset: PoseDataset) -> [Float] {
        let j = dataset.layout.jointCount
        var confidence = [Double](repeating: 0, count: j)
        var frames = 0
        for sample in dataset.samples {
            for f in 0..<sample.frameCount {
                for k in 0..<j { confidence[k] += Double(sample.values[(f * j + k) * 3 + 2]) }
            }
            frames += sample.frameCount
        }
        return confidence.map { Float($0 / Double(max(frames, 1))) }
    }

    /// The text length in the units the model reads.
    static func textUnits(_ sample: PoseSampleSummary, conditioning: TextConditioning) -> Int {
        switch conditioning {
        case .characters: return sample.text?.count ?? 0
        case .words: return sample.text?.split(whereSeparator: { $0.isWhitespace }).count ?? 0
        case .sentence: return sample.textFeatureRows ?? 0
        }
    }

    /// The text encoder's last hidden states of `text` (cached by text), or nil without an encoder.
    public func encodedFeatures(_ text: String) -> TextFeatures? {
        guard let textEncoder else { return nil }
        let encoding = textEncoder.encode(text)
        // An encoder always gives a row per token (at least its special tokens), so this cannot fail.
        return try? TextFeatures(rows: encoding.ids.count, width: encoding.width, values: encoding.hidden)
    }

    /// Vocabulary ids of `text` (case fallback; clear errors for unknown characters).
    public func textIDs(_ text: String) throws(HybridSignError) -> [Int] {
        guard let vocabulary else {
            throw HybridSignError.unsupportedText("this model is conditioned on precomputed sentence features; give a sample with them instead of text, or train with a text encoder (--text-encoder) to condition on text")
        }
        return try vocabulary.encode(text)
    }

    /// A sequence in model space: coordinates `T × J × 2` and confidences `T × J`, part-ordered.
    public func modelSpace(_ sequence: PoseSequence, maxFrames: Int? = nil) -> (coordinates: [Float], confidence: [Float]) {
        let normalized = normalizer.normalize(sequence)
        let j = partOrder.count
        let t = min(sequence.frameCount, maxFrames ?? .max)
        var coords = [Float](repeating: 0, count: t * j * 2)
        var conf = [Float](repeating: 0, count: t * j)
        normalized.values.withUnsafeBufferPointer { v in
            for f in 0..<t {
                for (m, joint) in partOrder.enumerated() {
                    let i = (f * j + joint) * 3
                    let c = v[i + 2]
                    conf[f * j + m] = c
                    if c > 0 {
                        coords[(f * j + m) * 2] = v[i]
                        coords[(f * j + m) * 2 + 1] = v[i + 1]
                    }
                }
            }
        }
        return (coords, conf)
    }

    /// Frames back in data space: model-space coordinates `T × J × 2` and confidences `T × J`
    /// → flat layout-ordered (x, y, c) values, de-normalised; joints with confidence 0 get x = y = 0.
    public func dataSpace(coordinates: [Float], confidence: [Float]) -> [Float] {
        let j = partOrder.count
        let t = confidence.count / j
        var values = [Float](repeating: 0, count: t * j * 3)
        for f in 0..<t {
            for (m, joint) in partOrder.enumerated() {
                let o = (f * j + joint) * 3
                values[o] = coordinates[(f * j + m) * 2]
                values[o + 1] = coordinates[(f * j + m) * 2 + 1]
                values[o + 2] = confidence[f * j + m]
            }
        }
        normalizer.denormalize(values: &values)
        return values
    }
}
