import Foundation
import Platform
import PoseData
import Tensors
import TextEncoders

/// One `.safetensors` file holding a model: weights (`model.*`), their EMA (`ema.*`), the AdamW
/// state (`adamw.*`), the loss history (`history`), and in `__metadata__` the configuration,
/// normaliser, vocabulary, length model, joint confidences, frame rate, signers (signer
/// conditioning), recommended sampling settings (`sampling`), training options, step and the
/// pretrained text encoder it reads (``TextEncoderRecord``, `text_encoder`) — everything
/// `--resume` needs to continue exactly (the data order and the noise of step k are functions of
/// the seed and k, so no generator state is stored).
public struct Checkpoint {
    /// Format tag in the metadata, checked on load.
    public static let format = "hybridsign-model-1"

    /// Metadata keys.
    enum Key {
        static let format = "format", config = "config", normalizer = "normalizer", vocabulary = "vocabulary"
        static let lengthModel = "length_model", jointConfidence = "joint_confidence", fps = "fps"
        static let step = "step", training = "training", signers = "signers", sampling = "sampling"
        static let textEncoder = "text_encoder"
    }

    /// The model (weights as trained, not averaged).
    public var model: HybridSignModel
    /// Steps trained.
    public var step: Int
    /// The options training ran with (nil for a model that was never trained).
    public var training: TrainingOptions?
    /// EMA weights by parameter name (`ema.<name>`), when saved.
    public var emaState: [String: Tensor]
    /// AdamW state (`adamw.*`), when saved.
    public var optimizerState: [String: Tensor]
    /// The loss history (empty when none was saved).
    public var history: TrainingHistory

    /// The tensor holding ``history``.
    static let historyTensor = "history"

    /// Writes `model` (and optionally the training state) with ``SafeTensors/write(_:metadata:to:)``:
    /// atomically, making missing directories.
    public static func save(model: HybridSignModel, step: Int = 0, training: TrainingOptions? = nil,
                            ema: [String: Tensor] = [:], optimizer: [String: Tensor] = [:], history: TrainingHistory = TrainingHistory(),
                            to url: URL) throws(HybridSignError) {
        var tensors: [String: Tensor] = [:]
        for (name, p) in model.network.namedParameters() { tensors["model." + name] = p.value }
        for (k, v) in ema { tensors[k] = v }
        for (k, v) in optimizer { tensors[k] = v }
        if !history.records.isEmpty { tensors[historyTensor] = history.tensor }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws(HybridSignError) -> String {
            do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
                throw HybridSignError.io("cannot encode checkpoint metadata: \(error)")
            }
        }
        var metadata: [String: String] = [
            Key.format: format,
            Key.config: try json(model.config),
            Key.normalizer: try json(model.normalizer),
            Key.lengthModel: try json(model.lengthModel),
            Key.jointConfidence: try json(model.jointConfidence),
            Key.fps: String(model.fps),
            Key.step: String(step),
            Key.sampling: try json(model.samplingDefaults),
        ]
        if model.config.signerConditioning { metadata[Key.signers] = try json(model.signers) }
        if let vocabulary = model.vocabulary { metadata[Key.vocabulary] = try json(vocabulary) }
        if let training { metadata[Key.training] = try json(training) }
        if let textEncoder = model.textEncoder { metadata[Key.textEncoder] = try json(TextEncoderRecord(textEncoder)) }
        do {
            try SafeTensors.write(tensors, metadata: metadata, to: url)
        } catch {
            throw HybridSignError.io("cannot write checkpoint \(url.path): \(error.problem)")
        }
    }

    /// Reads a checkpoint; `useEMA` loads the averaged weights into the model (for sampling)
    /// when the file has them. Damaged or foreign files give an error saying what is wrong.
    /// A model trained with a text encoder reads it from `textEncoder`, else from where the record
    /// points (``TextEncoderRecord/resolve(given:)``); a different encoder is an error.
    public static func load(from url: URL, useEMA: Bool = false, textEncoder: URL? = nil) throws(HybridSignError) -> Checkpoint {
        let file: SafeTensors.File
        do { file = try SafeTensors.read(from: url) } catch {
            throw HybridSignError.invalidCheckpoint("\(url.path) is not a readable model file: \(error)")
        }
        let meta = file.metadata
        guard meta[Key.format] == format else {
            throw HybridSignError.invalidCheckpoint(
                "\(url.path) is a safetensors file but not a HybridSign model (metadata 'format' is \(meta[Key.format].map { "\(QuotedText.quoted($0))" } ?? "missing"), expected \(QuotedText.quoted(format)))")
        }
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ key: String, required: Bool = true) throws(HybridSignError) -> T? {
            guard let text = meta[key] else {
                if required { throw HybridSignError.invalidCheckpoint("\(url.path): metadata \(QuotedText.quoted(key)) is missing") }
                return nil
            }
            do { return try decoder.decode(T.self, from: Data(text.utf8)) } catch {
                throw HybridSignError.invalidCheckpoint("\(url.path): metadata \(QuotedText.quoted(key)) is damaged: \(error)")
            }
        }
        let config = try decode(ModelConfig.self, Key.config)!
        let normalizer = try decode(Normalizer.self, Key.normalizer)!
        let lengthModel = try decode(LengthModel.self, Key.lengthModel)!
        let jointConfidence = try decode([Float].self, Key.jointConfidence)!
        let vocabulary = try decode(TextVocabulary.self, Key.vocabulary, required: false)
        let training = try decode(TrainingOptions.self, Key.training, required: false)
        let encoderRecord = try decode(TextEncoderRecord.self, Key.textEncoder, required: false)
        if encoderRecord == nil, let textEncoder {
            throw HybridSignError.invalidConfig("\(url.path) was not trained with a text encoder, so the encoder \(textEncoder.path) does not apply; leave it out")
        }
        let encoder: PretrainedTextEncoder?
        do { encoder = try encoderRecord?.resolve(given: textEncoder) } catch { throw HybridSignError.invalidCheckpoint("\(url.path): \(error)") }
        let signers = try decode([String].self, Key.signers, required: config.signerConditioning) ?? []
        let sampling = try decode(SamplingDefaults.self, Key.sampling, required: false) ?? SamplingDefaults()
        do { try sampling.validate(for: config.mode) } catch {
            throw HybridSignError.invalidCheckpoint("\(url.path): metadata '\(Key.sampling)': \(error)")
        }
        guard let fps = meta[Key.fps].flatMap(Double.init), PoseLimits.isValidFPS(fps), let step = meta[Key.step].flatMap(Int.init), step >= 0 else {
            throw HybridSignError.invalidCheckpoint("\(url.path): metadata 'fps' or 'step' is missing or damaged")
        }
        try checkTraining(training, step: step, path: url.path)
        let weightPrefix = useEMA && file.tensors.keys.contains(where: { $0.hasPrefix("ema.") }) ? "ema." : "model."
        try checkBounds(config: config, vocabulary: vocabulary, signers: signers, file: file, weightPrefix: weightPrefix, path: url.path)
        let model: HybridSignModel
        do {
            model = try HybridSignModel(config: config, normalizer: normalizer, vocabulary: vocabulary, lengthModel: lengthModel,
                                        jointConfidence: jointConfidence, fps: fps, signers: signers, samplingDefaults: sampling, seed: 0,
                                        textEncoder: encoder)
        } catch {
            throw HybridSignError.invalidCheckpoint("\(url.path): \(error)")
        }
        let prefix = weightPrefix
        var weights: [String: Tensor] = [:]
        var ema: [String: Tensor] = [:], optimizer: [String: Tensor] = [:]
        var history = TrainingHistory()
        if let stored = file.tensors[historyTensor] {
            guard let read = TrainingHistory(tensor: stored) else {
                throw HybridSignError.invalidCheckpoint("\(url.path): tensor '\(historyTensor)' has shape \(stored.shape), not [steps, \(TrainingHistory.columns.count)]")
            }
            history = read
        }
        // The history marks steps without a development score with NaN; everything else must be finite.
        for (name, tensor) in file.tensors where name != historyTensor {
            guard tensor.isFinite else { throw HybridSignError.invalidCheckpoint("\(url.path): tensor \(QuotedText.quoted(name)) holds NaN or infinity") }
            if name.hasPrefix(prefix) { weights[String(name.dropFirst(prefix.count))] = tensor }
            if name.hasPrefix("ema.") { ema[name] = tensor }
            if name.hasPrefix("adamw.") { optimizer[name] = tensor }
        }
        do { try model.network.load(weights) } catch {
            throw HybridSignError.invalidCheckpoint("\(url.path): the weights do not fit the stored configuration: \(error)")
        }
        return Checkpoint(model: model, step: step, training: training, emaState: ema, optimizerState: optimizer, history: history)
    }

    /// Checks the training options and step a file declares (what `train --resume` continues
    /// with) against ``TrainingOptions/Ceilings``.
    private static func checkTraining(_ training: TrainingOptions?, step: Int, path: String) throws(HybridSignError) {
        do { try training?.validate() } catch {
            throw HybridSignError.invalidCheckpoint("\(path): metadata \(QuotedText.quoted(Key.training)): \(error)")
        }
        guard step <= TrainingOptions.Ceilings.steps else {
            throw HybridSignError.invalidCheckpoint("\(path): metadata 'step' is \(step), over the ceiling of \(TrainingOptions.Ceilings.steps) steps")
        }
    }

    /// Checks what a file declares (signers, the configuration's ceilings, the vocabulary) and that
    /// its stored weights can hold the network the configuration describes, before that network is
    /// allocated.
    private static func checkBounds(config: ModelConfig, vocabulary: TextVocabulary?, signers: [String], file: SafeTensors.File,
                                    weightPrefix: String, path: String) throws(HybridSignError) {
        guard signers.count <= ModelConfig.Ceilings.signers else {
            throw HybridSignError.invalidCheckpoint("\(path): metadata '\(Key.signers)' lists \(signers.count) signers, over the ceiling of \(ModelConfig.Ceilings.signers)")
        }
        if config.signerConditioning && (signers.isEmpty || Set(signers).count != signers.count || signers != signers.sorted()) {
            throw HybridSignError.invalidCheckpoint("\(path): metadata '\(Key.signers)' must list at least one signer, sorted and without repeats")
        }
        // The configuration is checked against the ceilings and the stored weights before the
        // network it describes is allocated.
        do { try config.validate() } catch { throw HybridSignError.invalidCheckpoint("\(path): metadata 'config': \(error)") }
        if let vocabulary, vocabulary.size > ModelConfig.Ceilings.vocabulary {
            throw HybridSignError.invalidCheckpoint(
                "\(path): the vocabulary has \(vocabulary.size) ids, over the ceiling of \(ModelConfig.Ceilings.vocabulary)")
        }
        let storedWeights = file.tensors.reduce(0.0) { $0 + ($1.key.hasPrefix(weightPrefix) ? Double($1.value.count) : 0) }
        let needed = config.minimumParameterCount(vocabularySize: vocabulary?.size ?? 1, signers: signers.count)
        guard needed <= storedWeights else {
            throw HybridSignError.invalidCheckpoint(
                "\(path): metadata 'config' describes a network of at least \(NumberText.format(needed)) weights, but the file stores \(NumberText.format(storedWeights)) under \(QuotedText.quoted(weightPrefix)); the configuration does not belong to these weights")
        }
    }
}

extension HybridSignModel {
    /// Loads a model for sampling (EMA weights when present), with its text encoder from
    /// `textEncoder` or where its checkpoint points.
    public static func load(contentsOf url: URL, textEncoder: URL? = nil) throws(HybridSignError) -> HybridSignModel {
        try Checkpoint.load(from: url, useEMA: true, textEncoder: textEncoder).model
    }

    /// Saves the model's weights and data mappings (no training state), atomically.
    public func save(to url: URL) throws(HybridSignError) {
        try Checkpoint.save(model: self, to: url)
    }
}
