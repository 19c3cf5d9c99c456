import Platform
import PoseData
import Tensors

/// How a frame becomes tokens.
public enum TokenKind: String, Codable, Sendable, CaseIterable {
    /// One token per (frame, joint): `Linear(2 → D)` of (x, y) + a fixed 2-D sin-cos embedding.
    case joint
    /// One token per (frame, part): the part's joints' (x, y) → MLP → D, + frame sin-cos + part embedding.
    case part
}

/// Which objective (and sampler) the model uses.
public enum ModelMode: String, Codable, Sendable, CaseIterable {
    /// The method: causal clean stream (AR estimate μ, confidence, progress) + per-frame MeanFlow refinement.
    case hybrid
    /// Baseline: deterministic autoregressive regression (the clean stream only; output = μ).
    case ar
    /// Baseline: non-causal MeanFlow over the whole sequence (the noisy stream only).
    case diffusion
}

/// Where the hybrid's per-frame flow starts (its source s, with ε standard normal noise).
public enum FlowSource: String, Codable, Sendable, CaseIterable {
    /// From the frame's AR estimate: s = μ + σ·ε. The method as published; at temperature 0 the
    /// flow starts at μ and refines it.
    case estimate
    /// From noise alone: s = σ·ε (μ still conditions the noisy stream). The flow then has to
    /// choose a frame rather than correct one, so it can pick among the modes that μ averages;
    /// sample it with a temperature near 1 (at 0 every frame starts from the same point).
    case noise
}

/// Which expert stacks and fusion the hybrid's noisy stream (the flow) runs through.
public enum FlowBackbone: String, Codable, Sendable, CaseIterable {
    /// The clean stream's: one backbone serves the AR estimate and the flow (the method as
    /// published; the flow's loss then shares the backbone's capacity with the AR loss).
    case shared
    /// Its own stacks and fusion, of the clean stream's shape: the flow still reads the clean
    /// stream's per-layer keys/values, but its weights are its own, so it can train at full
    /// weight without pulling the AR estimate. Twice the expert parameters; the same work
    /// per frame.
    case separate
}

/// What conditions the model on the text.
public enum TextConditioning: String, Codable, Sendable, CaseIterable {
    /// The built-in encoder over the characters of the text.
    case characters
    /// The built-in encoder over the whitespace-separated words of the text.
    case words
    /// The data's precomputed `sentence` features (L × `sentenceWidth`), through a linear projection.
    case sentence
}

/// The architecture and objective of a HybridSign model (stored as JSON in checkpoints).
public struct ModelConfig: Sendable, Equatable {
    /// Model width D.
    public var dim: Int = 128
    /// Attention heads (D must be a multiple).
    public var heads: Int = 4
    /// Blocks per expert stack.
    public var depth: Int = 2
    /// Hidden width of the blocks' MLPs.
    public var mlp: Int = 256
    /// Tokens per frame: one per joint or one per part.
    public var tokens: TokenKind = .part
    /// Objective and sampler.
    public var mode: ModelMode = .hybrid
    /// Text conditioning.
    public var text: TextConditioning = .characters
    /// Layers of the built-in text encoder.
    public var textLayers: Int = 1
    /// Width of precomputed sentence features (`text: sentence`).
    public var sentenceWidth: Int = 768
    /// One expert stack per part (`true`) or one shared stack (`false`).
    public var experts: Bool = true
    /// Confidence bias in the temporal attention.
    public var confidence: Bool = true
    /// Multi-scale fusion (attention across all tokens of a frame) after the experts.
    public var fusion: Bool = true
    /// Source noise scale σ of the flow in normalised units (`hybrid`: s = μ + σ·ε).
    public var sigma: Float = 0.5
    /// Where the flow starts: the AR estimate plus noise (the method) or noise alone.
    public var flowSource: FlowSource = .estimate
    /// Whether the flow runs through the clean stream's expert stacks and fusion or its own
    /// (`hybrid` only).
    public var flowBackbone: FlowBackbone = .shared
    /// Whether the flow's gradient stops at the clean stream's keys/values (the noisy stream reads
    /// the history as a constant), so the flow cannot pull the AR backbone's activations.
    public var detachHistory: Bool = false
    /// Share of the frames the flow loss trains on in each step (the rest skip the noisy stream:
    /// the clean stream still learns from every frame).
    public var flowFraction: Float = 1
    /// Standard deviation (normalised units) of Gaussian noise added to the visible joints of the
    /// clean stream's input frames in training (`hybrid`, `ar`); the targets stay clean. Sampling
    /// feeds the model its own, imperfect frames: noisy history teaches it to recover instead of
    /// drifting. 0 turns it off.
    public var historyNoise: Float = 0
    /// Probability that a frame's pair has r = t (plain flow matching).
    public var flowMatchingFraction: Float = 0.75
    /// Logit-normal (mean, std) of the flow times.
    public var timeMean: Float = -0.4
    public var timeStd: Float = 1.0
    /// Adaptive loss weighting power p: w = 1 / (‖Δ‖² + 1e-3)^p.
    public var adaptivePower: Float = 1
    /// Loss weights of the flow, the AR estimate, the confidence head and the progress head.
    public var flowWeight: Float = 1
    public var arWeight: Float = 1
    public var confidenceWeight: Float = 0.1
    public var progressWeight: Float = 0.1
    /// Whether the model learns an embedding of the data's `signer` field (a sign language, a
    /// person), read as one more text token; sampling then takes a signer or none.
    public var signerConditioning: Bool = false
    /// Probability that training hides a sample's signer (the "no signer" embedding instead), so
    /// one model serves both uses: given a signer, and free.
    public var signerDropout: Float = 0.5
    /// Longest sequence the model trains on and samples (frames).
    public var maxFrames: Int = 200
    /// The layout the model was built for.
    public var layout: Layout = .openPose137

    public init() {}

    /// A named preset: `small` (the CPU default) or `paper` (the authors' released size).
    ///
    /// - `small`: D = 128, 4 heads, depth 2, MLP 256, part tokens, 1 text layer.
    /// - `paper`: D = 512, 4 heads, depth 1, MLP 256, joint tokens, 1 text layer.
    ///
    /// Both train the light flow: weight 0.01 on a quarter of the frames, history detached.
    public static func preset(_ name: String, layout: Layout = .openPose137) throws(HybridSignError) -> ModelConfig {
        var config = ModelConfig()
        config.layout = layout
        switch name.lowercased() {
        case "small":
            break
        case "paper":
            config.dim = 512
            config.heads = 4
            config.depth = 1
            config.mlp = 256
            config.tokens = .joint
        default:
            throw HybridSignError.invalidConfig("unknown preset \(QuotedText.quoted(name)); the presets are: small, paper")
        }
        // Measured on the word data (Docs/model.md): with the flow at full weight on every
        // frame the shared backbone learns its AR estimate more slowly than a pure `ar` model;
        // a light flow (weight 0.01, a quarter of the frames, history detached) refines the
        // estimate without holding the backbone back. Adam's scale invariance keeps the
        // flow-only weights learning at full speed. Both presets train this way; the full
        // flow stays available (`--flow-fraction 1 --no-detach-history --flow-weight 1`).
        config.flowWeight = 0.01
        config.flowFraction = 0.25
        config.detachHistory = true
        return config
    }

    /// Checks the sizes against ``Ceilings`` and that the numbers fit together.
    public func validate() throws(HybridSignError) {
        try checkCeilings()
        guard dim > 0, heads > 0, dim % heads == 0 else {
            throw HybridSignError.invalidConfig("dim \(dim) must be a positive multiple of heads \(heads)")
        }
        guard (dim / heads) % 2 == 0 else {
            throw HybridSignError.invalidConfig("the head width dim/heads = \(dim / heads) must be even")
        }
        guard dim % 4 == 0 else { throw HybridSignError.invalidConfig("dim \(dim) must be a multiple of 4 (sin-cos embeddings)") }
        guard depth >= 1, mlp >= 1, textLayers >= 0, maxFrames >= 2 else {
            throw HybridSignError.invalidConfig("depth (\(depth)), mlp (\(mlp)) must be ≥ 1, textLayers (\(textLayers)) ≥ 0, maxFrames (\(maxFrames)) ≥ 2")
        }
        guard sigma >= 0, sigma.isFinite, (0...1).contains(flowMatchingFraction), flowFraction > 0, flowFraction <= 1,
              historyNoise >= 0, historyNoise.isFinite else {
            throw HybridSignError.invalidConfig("sigma and historyNoise must be ≥ 0, flowMatchingFraction in 0...1 and flowFraction in (0, 1]")
        }
        guard flowBackbone == .shared || mode == .hybrid else {
            throw HybridSignError.invalidConfig("a separate flow backbone needs mode hybrid, not \(mode.rawValue): only the hybrid has both a clean stream and a flow; train with --mode hybrid, or leave --flow-backbone at shared")
        }
        guard (0...1).contains(signerDropout) else {
            throw HybridSignError.invalidConfig("signerDropout must be in 0...1, not \(signerDropout)")
        }
        do { try layout.validate() } catch { throw HybridSignError.invalidConfig("layout: \(error)") }
        guard !layout.parts.isEmpty else { throw HybridSignError.invalidConfig("layout \(QuotedText.quoted(layout.name)) has no parts") }
    }

    /// Tokens per frame for each part (1 for part tokens, the part's joint count for joint tokens).
    public var tokensPerPart: [Int] {
        layout.parts.map { tokens == .part ? 1 : $0.joints.count }
    }

    /// Tokens per frame.
    public var tokensPerFrame: Int { tokensPerPart.reduce(0, +) }

    /// The flow's source for an estimate `mean` and its scaled noise `noise` (σ·ε, times the
    /// temperature when sampling): `mean + noise`, or `noise` alone (``FlowSource``).
    public func flowStart(mean: Float, noise: Float) -> Float {
        flowSource == .estimate ? mean + noise : noise
    }

    /// ``flowStart(mean:noise:)`` for whole tensors.
    public func flowStart(mean: Tensor, noise: Tensor) -> Tensor {
        flowSource == .estimate ? mean + noise : noise
    }
}

extension ModelConfig: Codable {
    private enum CodingKeys: String, CodingKey {
        case dim, heads, depth, mlp, tokens, mode, text, textLayers, sentenceWidth, experts, confidence, fusion
        case sigma, flowSource, flowBackbone, detachHistory, flowFraction, historyNoise, flowMatchingFraction, timeMean, timeStd, adaptivePower, flowWeight, arWeight, confidenceWeight
        case progressWeight, signerConditioning, signerDropout, maxFrames, layout
    }

    /// Reads a configuration; missing keys keep their defaults, the layout is its JSON text.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let decoded = try c.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        self.init()
        try read(.dim, &dim); try read(.heads, &heads); try read(.depth, &depth); try read(.mlp, &mlp)
        try read(.tokens, &tokens); try read(.mode, &mode); try read(.text, &text)
        try read(.textLayers, &textLayers); try read(.sentenceWidth, &sentenceWidth)
        try read(.experts, &experts); try read(.confidence, &confidence); try read(.fusion, &fusion)
        try read(.sigma, &sigma); try read(.flowSource, &flowSource); try read(.flowBackbone, &flowBackbone); try read(.detachHistory, &detachHistory); try read(.flowFraction, &flowFraction); try read(.historyNoise, &historyNoise); try read(.flowMatchingFraction, &flowMatchingFraction)
        try read(.timeMean, &timeMean); try read(.timeStd, &timeStd); try read(.adaptivePower, &adaptivePower); try read(.flowWeight, &flowWeight)
        try read(.arWeight, &arWeight); try read(.confidenceWeight, &confidenceWeight)
        try read(.progressWeight, &progressWeight); try read(.maxFrames, &maxFrames)
        try read(.signerConditioning, &signerConditioning); try read(.signerDropout, &signerDropout)
        if let json = try c.decodeIfPresent(String.self, forKey: .layout) {
            do { layout = try Layout(json: json) } catch {
                throw DecodingError.dataCorruptedError(forKey: .layout, in: c, debugDescription: "\(error)")
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dim, forKey: .dim); try c.encode(heads, forKey: .heads); try c.encode(depth, forKey: .depth)
        try c.encode(mlp, forKey: .mlp); try c.encode(tokens, forKey: .tokens); try c.encode(mode, forKey: .mode)
        try c.encode(text, forKey: .text); try c.encode(textLayers, forKey: .textLayers)
        try c.encode(sentenceWidth, forKey: .sentenceWidth); try c.encode(experts, forKey: .experts)
        try c.encode(confidence, forKey: .confidence); try c.encode(fusion, forKey: .fusion)
        try c.encode(sigma, forKey: .sigma); try c.encode(flowSource, forKey: .flowSource); try c.encode(flowBackbone, forKey: .flowBackbone); try c.encode(detachHistory, forKey: .detachHistory); try c.encode(flowFraction, forKey: .flowFraction); try c.encode(historyNoise, forKey: .historyNoise); try c.encode(flowMatchingFraction, forKey: .flowMatchingFraction)
        try c.encode(timeMean, forKey: .timeMean); try c.encode(timeStd, forKey: .timeStd)
        try c.encode(adaptivePower, forKey: .adaptivePower); try c.encode(flowWeight, forKey: .flowWeight); try c.encode(arWeight, forKey: .arWeight)
        try c.encode(confidenceWeight, forKey: .confidenceWeight); try c.encode(progressWeight, forKey: .progressWeight)
        try c.encode(signerConditioning, forKey: .signerConditioning); try c.encode(signerDropout, forKey: .signerDropout)
        try c.encode(maxFrames, forKey: .maxFrames); try c.encode(layout.jsonString(), forKey: .layout)
    }
}
