import PoseData
import Tensors

/// The network on model-space tensors (normalised coordinates, joints in part order): a clean
/// stream (BOS + clean frames, causal) with the AR estimate, confidence and progress heads, and a
/// noisy stream (one noisy frame per item, attending to the clean stream's temporal keys/values
/// exactly like a KV cache) predicting the MeanFlow average velocity. Docs/model.md describes it.
///
/// Shapes: B sequences, T positions, J joints, D = `config.dim`, n tokens per frame of a part.
/// The passes are in `HybridSignNetwork+Streams.swift`, the pieces they share in
/// `HybridSignNetwork+Shared.swift`.
public final class HybridSignNetwork: Layer {
    public let config: ModelConfig
    /// Joint ranges of the parts in model (part-ordered) joint space.
    let partRanges: [Range<Int>]
    let tokensPerPart: [Int]
    let textEncoder: TextEncoder
    let timeEmbedding: TimeEmbedding
    let gapEmbedding: TimeEmbedding
    /// The clean stream's own layers (nil for `diffusion`, which has no clean stream).
    let clean: CleanStreamLayers?
    /// The noisy stream's own layers (nil for `ar`, which has no noisy stream).
    let noisy: NoisyStreamLayers?
    /// The learned embedding of each part (part tokens only).
    let partEmbedding: Parameter?
    let confidenceBiases: [ConfidenceBias]
    let stacks: [[ExpertBlock]]
    let fusion: FusionBlock?
    /// The flow's own expert stacks and fusion (`flowBackbone: separate`), or nil when the noisy
    /// stream runs through `stacks` and `fusion`.
    let flowBackbone: (stacks: [[ExpertBlock]], fusion: FusionBlock?)?
    /// The signer embedding `[signers + 1, D]` (`signerConditioning`): row 0 is "no signer", row
    /// k the model's k-th signer; read as one more text token.
    let signerTable: Parameter?
    /// Fixed joint-index half of the 2-D sin-cos embedding per part (joint tokens): `[1, 1, n, D]`.
    let jointPositions: [Tensor]
    /// Multiply-adds per layer from which a streaming pass runs its parts concurrently (tests lower
    /// it to exercise the concurrent path on tiny models).
    var concurrentPartWork = HybridSignNetwork.defaultConcurrentPartWork
    /// The samplers' adaLN modulations, kept across sampling calls while the weights stay the same.
    let modulationStore = ModulationStore()

    /// Changes whenever any weight does (the sum of the parameters' versions, which only grow).
    var weightsVersion: Int { parameters.reduce(0) { $0 &+ $1.version } }

    var hasCleanStream: Bool { clean != nil }
    var hasNoisyStream: Bool { noisy != nil }

    /// A randomly initialised network (seeded). `vocabularySize` counts padding; `signers` is the
    /// number of signers a `signerConditioning` model knows. The layers draw their initial weights
    /// in a fixed order (text, time, embedders, start tokens, part embedding, confidence biases,
    /// expert stacks, fusion, heads, signer embedding, the flow's own stacks and fusion), which
    /// checkpoints and seeds rely on; the later additions come last so that a model without them
    /// starts exactly as before.
    public init(config: ModelConfig, vocabularySize: Int, signers: Int = 0, seed: UInt64) throws(HybridSignError) {
        try config.validate()
        guard !config.signerConditioning || signers >= 1 else {
            throw HybridSignError.invalidConfig("signer conditioning needs at least one signer; the training data has no 'signer' field")
        }
        self.config = config
        var rng = RandomGenerator(seed: seed)
        let d = config.dim
        var start = 0
        partRanges = config.layout.parts.map { part in
            defer { start += part.joints.count }
            return start..<(start + part.joints.count)
        }
        tokensPerPart = config.tokensPerPart
        let hasClean = config.mode != .diffusion, hasNoisy = config.mode != .ar
        textEncoder = TextEncoder(config: config, vocabularySize: vocabularySize, rng: &rng)
        timeEmbedding = TimeEmbedding(dim: d, rng: &rng)
        gapEmbedding = TimeEmbedding(dim: d, rng: &rng)
        let sizes = config.layout.parts.map(\.joints.count)
        let cleanEmbedders = hasClean ? sizes.map { TokenEmbedder(kind: config.tokens, joints: $0, channels: 2, dim: d, rng: &rng) } : []
        let noisyEmbedders = hasNoisy ? sizes.map { TokenEmbedder(kind: config.tokens, joints: $0, channels: 4, dim: d, rng: &rng) } : []
        let bos = hasClean ? tokensPerPart.map { Parameter(rng.normal([$0, d], std: 0.02)) } : []
        partEmbedding = config.tokens == .part ? Parameter(rng.normal([sizes.count, d], std: 0.02)) : nil
        confidenceBiases = config.confidence ? sizes.map { ConfidenceBias(kind: config.tokens, joints: $0, heads: config.heads, rng: &rng) } : []
        stacks = Self.expertStacks(config, parts: sizes.count, rng: &rng)
        fusion = config.fusion ? FusionBlock(dim: d, heads: config.heads, rng: &rng) : nil
        let outputsPerToken = zip(sizes, tokensPerPart).map { $0 / $1 }
        clean = hasClean ? CleanStreamLayers(embedders: cleanEmbedders, bos: bos, outputsPerToken: outputsPerToken, dim: d, rng: &rng) : nil
        noisy = hasNoisy ? NoisyStreamLayers(embedders: noisyEmbedders, outputsPerToken: outputsPerToken, dim: d) : nil
        jointPositions = config.tokens == .joint ? Self.jointPositions(config.layout, dim: d) : []
        signerTable = config.signerConditioning ? Parameter(rng.normal([signers + 1, d], std: 0.02)) : nil
        if config.flowBackbone == .separate {
            let flowStacks = Self.expertStacks(config, parts: sizes.count, rng: &rng)
            flowBackbone = (flowStacks, config.fusion ? FusionBlock(dim: d, heads: config.heads, rng: &rng) : nil)
        } else {
            flowBackbone = nil
        }
    }

    /// One stack of `depth` blocks per part, or one stack every part shares (`experts: off`).
    private static func expertStacks(_ config: ModelConfig, parts: Int, rng: inout RandomGenerator) -> [[ExpertBlock]] {
        func stack() -> [ExpertBlock] {
            (0..<config.depth).map { _ in
                ExpertBlock(dim: config.dim, heads: config.heads, mlp: config.mlp, spatial: config.tokens == .joint, rng: &rng)
            }
        }
        guard config.experts else {
            let shared = stack()
            return (0..<parts).map { _ in shared }
        }
        return (0..<parts).map { _ in stack() }
    }

    /// Per part, the joint-index half of the 2-D sin-cos embedding of joint tokens.
    private static func jointPositions(_ layout: Layout, dim d: Int) -> [Tensor] {
        layout.parts.map { part in
            let table = sinCosEmbedding(positions: part.joints.map(Float.init), dim: d / 2)
            let n = part.joints.count
            return Tensor(shape: [1, 1, n, d]) { out in
                out.initialize(repeating: 0)
                for j in 0..<n { for k in 0..<(d / 2) { out[j * d + d / 2 + k] = table.scalars[j * (d / 2) + k] } }
            }
        }
    }

    public var ownParameters: [(String, Parameter)] {
        var p: [(String, Parameter)] = (clean?.bos ?? []).enumerated().map { ("bos.\($0.offset)", $0.element) }
        if let partEmbedding { p.append(("part_embedding", partEmbedding)) }
        if let signerTable { p.append(("signer_embedding", signerTable)) }
        return p
    }

    /// The sub-layers by parameter-name prefix, in the order their parameters are listed.
    public var children: [(String, any Layer)] {
        var c: [(String, any Layer)] = [("text", textEncoder), ("time", timeEmbedding), ("gap", gapEmbedding)]
        c += (clean?.embedders ?? []).enumerated().map { ("clean_embed.\($0.offset)", $0.element) }
        c += (noisy?.embedders ?? []).enumerated().map { ("noisy_embed.\($0.offset)", $0.element) }
        c += confidenceBiases.enumerated().map { ("confidence_bias.\($0.offset)", $0.element) }
        c += Self.stackChildren(stacks, prefix: "experts", shared: !config.experts)
        if let fusion { c.append(("fusion", fusion)) }
        if let clean {
            c.append(("clean_norm", clean.norm))
            c += clean.meanHeads.enumerated().map { ("mean_head.\($0.offset)", $0.element) }
            c += clean.confidenceHeads.enumerated().map { ("confidence_head.\($0.offset)", $0.element) }
            c.append(("progress_head", clean.progressHead))
        }
        if let noisy {
            c.append(("final_modulation", noisy.finalModulation))
            c += noisy.velocityHeads.enumerated().map { ("velocity_head.\($0.offset)", $0.element) }
        }
        if let flowBackbone {
            c += Self.stackChildren(flowBackbone.stacks, prefix: "flow_experts", shared: !config.experts)
            if let fusion = flowBackbone.fusion { c.append(("flow_fusion", fusion)) }
        }
        return c
    }

    /// The blocks of `stacks` named `prefix.<part>.<layer>`, or `prefix.shared.<layer>` once when
    /// every part runs the same stack.
    private static func stackChildren(_ stacks: [[ExpertBlock]], prefix: String, shared: Bool) -> [(String, any Layer)] {
        if shared { return stacks[0].enumerated().map { ("\(prefix).shared.\($0.offset)", $0.element) } }
        return stacks.enumerated().flatMap { p, stack in stack.enumerated().map { ("\(prefix).\(p).\($0.offset)", $0.element) } }
    }
}
