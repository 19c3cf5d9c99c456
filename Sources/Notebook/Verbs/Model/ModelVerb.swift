import HybridSign
import PoseData
import TextEncoders

/// `model MODE [preset:] [dim:] … [layout: DATASET] [on: DATASET]`: a new, untrained model.
struct ModelVerb: Verb {
    let signature = VerbSignature(
        name: "model",
        summary: "make a new, untrained model: hybrid (the method), or the ar / diffusion baselines",
        positional: [Parameter("mode", .string, "the objective and sampler", choices: ModelMode.allCases.map(\.rawValue))],
        connectors: [Connector("on", Parameter("data", .dataset, "fit the normaliser and vocabulary on this data now (else at the first train)",
                                               optional: true))],
        named: [Parameter("preset", .string, "the starting sizes: small (CPU default) or paper", default: .string("small"),
                          choices: ["small", "paper"]),
                Parameter("dim", .number, "model width D (a multiple of 4 and of heads)"),
                Parameter("depth", .number, "blocks per expert stack"),
                Parameter("heads", .number, "attention heads"),
                Parameter("mlp", .number, "hidden width of the blocks' MLPs"),
                Parameter("tokens", .string, "one token per part of a frame, or per joint", choices: TokenKind.allCases.map(\.rawValue)),
                Parameter("text", .string, "what the text encoder reads", choices: TextConditioning.allCases.map(\.rawValue)),
                Parameter("text_encoder", .string, "a pretrained text encoder's folder (T5 or BERT family, Docs/text-encoders.md): the model reads its hidden states of each text", placeholder: "DIR"),
                Parameter("experts", .bool, "one expert stack per part (false: one shared stack)"),
                Parameter("confidence", .bool, "confidence bias in the temporal attention"),
                Parameter("fusion", .bool, "multi-scale fusion across the parts of a frame"),
                Parameter("max_frames", .number, "longest training crop and sampling limit, in frames"),
                Parameter("signers", .bool, "learn an embedding of the data's signer field, so sampling takes signer: CODE (or none)"),
                Parameter("signer_dropout", .number, "probability that training hides a sample's signer (with signers: true; default 0.5)"),
                Parameter("layout", .dataset, "build for this dataset's layout (checked against the training data)"),
                Parameter("seed", .number, "seed of the initial weights and of training", default: .number(0))],
        returns: "a model (show it; members: mode, config, params, step, history)",
        examples: ["let m = model hybrid dim: 32 depth: 1 heads: 2 layout: dev", "let base = model ar preset: \"small\"",
                   "let m = model hybrid on dev dim: 64 tokens: part experts: false",
                   "let m = model hybrid dim: 32 depth: 1 heads: 2 signers: true",
                   "let m = model hybrid dim: 32 text_encoder: \"models/all-MiniLM-L6-v2\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let mode = ModelMode(rawValue: try arguments.string("mode"))!
        var config: ModelConfig
        let preset = try arguments.string("preset")
        do { config = try ModelConfig.preset(preset) } catch { throw notebookError(error, arguments, at: "preset") }
        config.mode = mode
        if arguments.has("dim") { config.dim = try arguments.integer("dim", in: 4...4096) }
        if arguments.has("depth") { config.depth = try arguments.integer("depth", in: 1...64) }
        if arguments.has("heads") { config.heads = try arguments.integer("heads", in: 1...64) }
        if arguments.has("mlp") { config.mlp = try arguments.integer("mlp", in: 1...65536) }
        if arguments.has("tokens") { config.tokens = TokenKind(rawValue: try arguments.string("tokens"))! }
        if arguments.has("text") { config.text = TextConditioning(rawValue: try arguments.string("text"))! }
        if arguments.has("experts") { config.experts = try arguments.bool("experts") }
        if arguments.has("confidence") { config.confidence = try arguments.bool("confidence") }
        if arguments.has("fusion") { config.fusion = try arguments.bool("fusion") }
        if arguments.has("max_frames") { config.maxFrames = try arguments.integer("max_frames", in: 2...100_000) }
        if arguments.has("signers") { config.signerConditioning = try arguments.bool("signers") }
        if arguments.has("signer_dropout") {
            let dropout = try arguments.number("signer_dropout")
            guard (0...1).contains(dropout) else {
                throw arguments.error("signer_dropout must be between 0 and 1, got \(formatNumber(dropout))", at: "signer_dropout")
            }
            config.signerDropout = Float(dropout)
        }
        if arguments.has("layout") { config.layout = try arguments.dataset("layout").layout }
        let seed = try arguments.seed("seed")
        var encoder: PretrainedTextEncoder?
        if arguments.has("text_encoder") {
            if arguments.has("text"), try arguments.string("text") != TextConditioning.sentence.rawValue {
                throw arguments.error("text_encoder: conditions on the encoder's hidden states (text: sentence); leave out text:", at: "text")
            }
            let folder = try context.existingInput(arguments, "text_encoder", what: "text encoder folder")
            do { encoder = try PretrainedTextEncoder.shared(folder: folder) } catch {
                throw arguments.error(error.description, at: "text_encoder", hint: "a folder with config.json, tokenizer.json and model.safetensors (Docs/text-encoders.md)")
            }
            config.text = .sentence
            config.sentenceWidth = encoder!.width
        }
        do { try config.validate() } catch {
            let culprit = ["dim", "heads", "depth", "mlp"].first(where: arguments.has) ?? "mode"
            throw arguments.error(error.description, at: culprit, hint: "for example: model hybrid dim: 32 depth: 1 heads: 2")
        }
        let value = ModelValue(config: config, seed: seed, layoutIsExplicit: arguments.has("layout"), textEncoder: encoder)
        if arguments.has("data") {
            let data = try arguments.dataset("data")
            do { _ = try value.fit(data) } catch { throw notebookError(error, arguments, at: "data") }
        }
        return .object(value)
    }
}
