import PoseData
import Tensors

/// The network of DESIGN.md §1 on model-space tensors (normalised coordinates, joints in part
/// order): a clean stream (BOS + clean frames, causal) with the AR estimate, confidence and
/// progress heads, and a noisy stream (one noisy frame per item, attending to the clean stream's
/// temporal keys/values exactly like a KV cache) predicting the MeanFlow average velocity.
///
/// Shapes: B sequences, T positions, J joints, D = `config.dim`, n tokens per frame of a part.
public final class HybridSignNetwork: Layer {
    public let config: ModelConfig
    /// Joint ranges of the parts in model (part-ordered) joint space.
    let partRanges: [Range<Int>]
    let tokensPerPart: [Int]
    let textEncoder: TextEncoder
    let timeEmbedding: TimeEmbedding?
    let gapEmbedding: TimeEmbedding?
    let cleanEmbedders: [TokenEmbedder]
    let noisyEmbedders: [TokenEmbedder]
    let bos: [Parameter]
    let partEmbedding: Parameter?
    let confidenceBiases: [ConfidenceBias]
    let stacks: [[ExpertBlock]]
    let fusion: FusionBlock?
    let cleanNorm: LayerNorm?
    let meanHeads: [Linear]
    let confidenceHeads: [Linear]
    let progressHead: Linear?
    let finalModulation: Linear?
    let velocityHeads: [Linear]
    /// Fixed joint-index half of the 2-D sin-cos embedding per part (joint tokens): `[1, 1, n, D]`.
    let jointPositions: [Tensor]
    /// Multiply-adds per layer from which a streaming pass runs its parts concurrently (tests lower
    /// it to exercise the concurrent path on tiny models).
    var concurrentPartWork = HybridSignNetwork.defaultConcurrentPartWork

    var hasCleanStream: Bool { config.mode != .diffusion }
    var hasNoisyStream: Bool { config.mode != .ar }

    /// A randomly initialised network (seeded). `vocabularySize` counts padding.
    public init(config: ModelConfig, vocabularySize: Int, seed: UInt64) throws(HybridSignError) {
        try config.validate()
        self.config = config
        var rng = RandomGenerator(seed: seed)
        let d = config.dim
        var start = 0
        partRanges = config.layout.parts.map { part in
            defer { start += part.joints.count }
            return start..<(start + part.joints.count)
        }
        tokensPerPart = config.tokensPerPart
        let clean = config.mode != .diffusion, noisy = config.mode != .ar
        textEncoder = TextEncoder(config: config, vocabularySize: vocabularySize, rng: &rng)
        timeEmbedding = TimeEmbedding(dim: d, rng: &rng)
        gapEmbedding = TimeEmbedding(dim: d, rng: &rng)
        let sizes = config.layout.parts.map(\.joints.count)
        cleanEmbedders = clean ? sizes.map { TokenEmbedder(kind: config.tokens, joints: $0, channels: 2, dim: d, rng: &rng) } : []
        noisyEmbedders = noisy ? sizes.map { TokenEmbedder(kind: config.tokens, joints: $0, channels: 4, dim: d, rng: &rng) } : []
        bos = clean ? tokensPerPart.map { Parameter(rng.normal([$0, d], std: 0.02)) } : []
        partEmbedding = config.tokens == .part ? Parameter(rng.normal([sizes.count, d], std: 0.02)) : nil
        confidenceBiases = config.confidence ? sizes.map { ConfidenceBias(kind: config.tokens, joints: $0, heads: config.heads, rng: &rng) } : []
        func stack() -> [ExpertBlock] {
            (0..<config.depth).map { _ in ExpertBlock(dim: d, heads: config.heads, mlp: config.mlp, spatial: config.tokens == .joint, rng: &rng) }
        }
        if config.experts {
            stacks = sizes.map { _ in stack() }
        } else {
            let shared = stack()
            stacks = sizes.map { _ in shared }
        }
        fusion = config.fusion ? FusionBlock(dim: d, heads: config.heads, rng: &rng) : nil
        let outputsPerToken = zip(sizes, tokensPerPart).map { $0 / $1 }
        cleanNorm = clean ? LayerNorm(d) : nil
        meanHeads = clean ? outputsPerToken.map { Linear(d, 2 * $0, rng: &rng) } : []
        confidenceHeads = clean ? outputsPerToken.map { Linear(d, $0, rng: &rng) } : []
        progressHead = clean ? Linear(d, 1, rng: &rng) : nil
        finalModulation = noisy ? Linear(zeros: d, 2 * d) : nil
        velocityHeads = noisy ? outputsPerToken.map { Linear(zeros: d, 2 * $0) } : []
        var jointPositions: [Tensor] = []
        if config.tokens == .joint {
            for part in config.layout.parts {
                let table = sinCosEmbedding(positions: part.joints.map(Float.init), dim: d / 2)
                let n = part.joints.count
                jointPositions.append(Tensor(shape: [1, 1, n, d]) { out in
                    out.initialize(repeating: 0)
                    for j in 0..<n { for k in 0..<(d / 2) { out[j * d + d / 2 + k] = table.scalars[j * (d / 2) + k] } }
                })
            }
        }
        self.jointPositions = jointPositions
    }

    public var ownParameters: [(String, Parameter)] {
        var p: [(String, Parameter)] = bos.enumerated().map { ("bos.\($0.offset)", $0.element) }
        if let partEmbedding { p.append(("part_embedding", partEmbedding)) }
        return p
    }

    public var children: [(String, any Layer)] {
        var c: [(String, any Layer)] = [("text", textEncoder)]
        if let timeEmbedding, let gapEmbedding { c += [("time", timeEmbedding), ("gap", gapEmbedding)] }
        c += cleanEmbedders.enumerated().map { ("clean_embed.\($0.offset)", $0.element) }
        c += noisyEmbedders.enumerated().map { ("noisy_embed.\($0.offset)", $0.element) }
        c += confidenceBiases.enumerated().map { ("confidence_bias.\($0.offset)", $0.element) }
        if config.experts {
            for (p, stack) in stacks.enumerated() { c += stack.enumerated().map { ("experts.\(p).\($0.offset)", $0.element) } }
        } else {
            c += stacks[0].enumerated().map { ("experts.shared.\($0.offset)", $0.element) }
        }
        if let fusion { c.append(("fusion", fusion)) }
        if let cleanNorm { c.append(("clean_norm", cleanNorm)) }
        c += meanHeads.enumerated().map { ("mean_head.\($0.offset)", $0.element) }
        c += confidenceHeads.enumerated().map { ("confidence_head.\($0.offset)", $0.element) }
        if let progressHead { c.append(("progress_head", progressHead)) }
        if let finalModulation { c.append(("final_modulation", finalModulation)) }
        c += velocityHeads.enumerated().map { ("velocity_head.\($0.offset)", $0.element) }
        return c
    }

    // MARK: - Shared pieces

    /// The text's states and the per-block keys/values (computed once per sequence batch).
    public final class TextContext {
        let states: Var
        let mask: Tensor
        var memories: [ObjectIdentifier: TextMemory] = [:]

        init(states: Var, mask: Tensor) {
            self.states = states
            self.mask = mask
        }

        func memory(for block: ExpertBlock) -> TextMemory {
            if let m = memories[ObjectIdentifier(block)] { return m }
            let m = block.textMemory(states: states, mask: mask)
            memories[ObjectIdentifier(block)] = m
            return m
        }
    }

    /// Encodes a batch of texts: `ids` (B lists of vocabulary ids) or `features` (B matrices).
    public func encodeText(ids: [[Int]]? = nil, features: [TextFeatures]? = nil, graph: Graph) -> TextContext {
        if let features {
            let lengths = features.map { max($0.rows, 1) }
            let l = lengths.max() ?? 1
            let w = config.sentenceWidth
            let values = Tensor(shape: [features.count, l, w]) { out in
                out.initialize(repeating: 0)
                for (b, f) in features.enumerated() {
                    for i in 0..<(f.rows * f.width) where f.width == w { out[b * l * w + i] = f.values[i] }
                }
            }
            let (states, mask) = textEncoder(ids: nil, features: values, lengths: lengths, graph: graph)
            return TextContext(states: states, mask: mask)
        }
        let ids = ids ?? [[0]]
        let (states, mask) = textEncoder(ids: ids, features: nil, lengths: ids.map { max($0.count, 1) }, graph: graph)
        return TextContext(states: states, mask: mask)
    }

    /// Flow-time conditioning `[B, T, D]` from `t`, `r` `[B, T]`: MLP(sincos t) + MLP(sincos(t − r)).
    func timeCondition(t: Var, r: Var) -> Var {
        let s = t.shape
        let c = timeEmbedding!(t) + gapEmbedding!(t - r)
        return c.reshaped([s[0], s[1], config.dim])
    }

    /// Positional embedding of part `p` for frames (B × T indices): constant + learned part embedding.
    func positions(part p: Int, frames: [[Int]], graph: Graph) -> Var {
        let d = config.dim
        if config.tokens == .part {
            let framePart = graph.constant(framePositions(frames, width: d, offset: 0, total: d))
            return framePart + slice(graph.attach(partEmbedding!), axis: 0, p..<(p + 1)).reshaped([1, 1, 1, d])
        }
        return graph.constant(framePositions(frames, width: d / 2, offset: 0, total: d) + jointPositions[p])
    }

    /// The joints of part `p` of `x: [B, T, J, c]`.
    func partSlice(_ x: Var, _ p: Int) -> Var {
        partRanges.count == 1 ? x : slice(x, axis: 2, partRanges[p])
    }

    /// Per-part outputs `[B, T, n, k]` joined into `[B, T, J, k / (J_p / n)]`.
    func joinParts(_ outputs: [Var], channels: Int) -> Var {
        let joined = zip(outputs, partRanges).map { out, range in
            out.reshaped([out.shape[0], out.shape[1], range.count, channels])
        }
        return joined.count == 1 ? joined[0] : concat(joined, axis: 2)
    }

    /// Runs the expert stacks (layer by layer, part by part), then fusion. The parts of a layer run
    /// concurrently, in groups of about equal token counts (one per core), when they are large
    /// enough (``Graph/concurrently(_:_:)``: training records, and differentiates, on both cores).
    func runBlocks(_ tokens: [Var], cond: Var, memory: History, ownBiases: [Var?], masks: [Tensor?],
                   text: TextContext, modulations: ModulationTable = ModulationTable()) -> ([Var], CleanStreamCache) {
        var x = tokens
        var produced = [[TemporalMemory]](repeating: [], count: x.count)
        let groups = concurrentGroups(tokens)
        for layer in 0..<config.depth {
            // The shared tables are filled here, on this thread: the per-part work only reads them.
            let blocks = x.indices.map { stacks[$0][layer] }
            let mods = blocks.map { block in modulations.values(for: block) { block.modulations(cond) } }
            let texts = blocks.map { text.memory(for: $0) }
            let histories: [TemporalHistory?] = x.indices.map { p in
                switch memory {
                case .none: nil
                case .graph(let cache): .graph(cache.layers[p][layer])
                case .streaming(let cache): .streaming(cache.caches[p][layer], cache.bias(part: p))
                }
            }
            let inputs = x
            func run(_ p: Int) -> (Var, TemporalMemory) {
                blocks[p](inputs[p], mods: mods[p], memory: histories[p], ownBias: ownBiases[p],
                          temporalMask: masks[p], text: texts[p])
            }
            var outputs = [(Var, TemporalMemory)?](repeating: nil, count: x.count)
            if let groups, let graph = inputs.first?.graph {
                outputs.withUnsafeMutableBufferPointer { out in
                    graph.concurrently(groups.count) { g in for p in groups[g] { out[p] = run(p) } }
                }
            } else {
                for p in x.indices { outputs[p] = run(p) }
            }
            for p in x.indices {
                x[p] = outputs[p]!.0
                produced[p].append(outputs[p]!.1)
            }
        }
        if let fusion {
            let counts = x.map { $0.shape[2] }
            x = split(fusion(concat(x, axis: 2)), axis: 2, sizes: counts)
        }
        return (x, CleanStreamCache(layers: produced))
    }

    /// The parts split into one group per core with about equal token counts (largest part first,
    /// each to the least loaded group), or nil to run them in turn when a layer's products are too
    /// small to pay for the hand-off.
    func concurrentGroups(_ tokens: [Var]) -> [[Int]]? {
        guard tokens.count > 1, Parallel.workerCount > 1 else { return nil }
        let rows = tokens.map { $0.value.count / max(config.dim, 1) }
        // About 11 D × D products per token and layer (spatial, temporal, cross, MLP).
        guard rows.reduce(0, +) * config.dim * config.dim * 11 >= concurrentPartWork else { return nil }
        var groups = [[Int]](repeating: [], count: min(Parallel.workerCount, tokens.count))
        var load = [Int](repeating: 0, count: groups.count)
        for p in rows.indices.sorted(by: { rows[$0] > rows[$1] }) {
            let g = load.indices.min { load[$0] < load[$1] }!
            groups[g].append(p)
            load[g] += rows[p]
        }
        return groups
    }

    /// Multiply-adds per layer from which the parts of a streaming pass run concurrently by default
    /// (the `small` preset's ~0.7 M stay in turn; the `paper` preset's ~400 M split).
    static let defaultConcurrentPartWork = 16_000_000

    /// Confidence bias of each part's keys from `confidence: [B, T, J]`.
    func biases(_ confidence: Var) -> [Var?] {
        guard config.confidence else { return [Var?](repeating: nil, count: partRanges.count) }
        return partRanges.indices.map { confidenceBiases[$0](partSlice(confidence, $0)) }
    }
}

/// The clean stream's temporal keys/values per part and layer: the KV cache of the streaming
/// sampler, and the history the noisy stream attends to in training.
public struct CleanStreamCache {
    /// `layers[part][layer]`.
    public var layers: [[TemporalMemory]]

    /// Number of cached positions.
    public var count: Int { layers.first?.first?.count ?? 0 }

    /// The same keys/values as constants (no gradient, no tangent).
    public func detached() -> CleanStreamCache {
        CleanStreamCache(layers: layers.map { $0.map {
            TemporalMemory(keys: stopGradient($0.keys), values: stopGradient($0.values), bias: $0.bias.map(stopGradient))
        } })
    }

    /// This cache followed by `other`'s positions.
    public func appending(_ other: CleanStreamCache) -> CleanStreamCache {
        CleanStreamCache(layers: zip(layers, other.layers).map { zip($0, $1).map { $0.appending($1) } })
    }
}

/// adaLN shift/scale/gate values per layer for one conditioning value, computed once.
final class ModulationTable {
    var table: [ObjectIdentifier: [Var]] = [:]

    func values(for layer: AnyObject, _ make: () -> [Var]) -> [Var] {
        if let v = table[ObjectIdentifier(layer)] { return v }
        let v = make()
        table[ObjectIdentifier(layer)] = v
        return v
    }
}

/// Modulations per flow-time pair, for a sampler that reuses the same times in every frame
/// (the clean stream's t = r = 0, and the flow steps' grid): the adaLN projections (a matrix of
/// 3·sublayers·D × D per block) then run once per sequence instead of once per pass.
public final class ConditioningCache {
    var tables: [SIMD2<Float>: ModulationTable] = [:]

    public init() {}

    func table(t: Float, r: Float) -> ModulationTable {
        if let table = tables[SIMD2(t, r)] { return table }
        let table = ModulationTable()
        tables[SIMD2(t, r)] = table
        return table
    }
}

/// The positions the clean stream has already processed: none, graph nodes (training and teacher
/// forcing), or the streaming sampler's cache.
public enum History {
    case none
    case graph(CleanStreamCache)
    case streaming(StreamingCache)

    /// Number of earlier positions.
    public var count: Int {
        switch self {
        case .none: return 0
        case .graph(let cache): return cache.count
        case .streaming(let cache): return cache.count
        }
    }
}

/// The streaming sampler's KV cache: per part and layer an append-only ``Tensors/KVCache`` of the
/// clean stream's temporal keys/values, and per part the confidence bias of the cached keys.
/// Appending a frame copies only that frame; attention reads the cache in place.
public final class StreamingCache {
    var caches: [[Tensors.KVCache]] = []
    /// Per part, time-major rows of `B·n·H` bias values.
    var biasRows: [[Float]] = []
    var biasShape: [(Int, Int)] = []
    public private(set) var count = 0

    public init() {}

    /// Appends the positions a clean pass produced (its own keys, values and biases).
    public func append(_ produced: CleanStreamCache) {
        if caches.isEmpty {
            caches = produced.layers.map { layers in
                layers.map { Tensors.KVCache(batch: $0.keys.shape[0], heads: $0.keys.shape[1], headDim: $0.keys.shape[3]) }
            }
            biasRows = produced.layers.map { _ in [] }
            biasShape = produced.layers.map { ($0[0].keys.shape[0], $0[0].keys.shape[1]) }
        }
        for (p, layers) in produced.layers.enumerated() {
            for (l, memory) in layers.enumerated() {
                caches[p][l].append(keys: memory.keys.value, values: memory.values.value)
            }
            // The bias is the same in every layer of a part: store it once, time-major.
            if let bias = layers[0].bias?.value {
                let (rows, heads) = biasShape[p]
                let n = bias.shape[3]
                for i in 0..<n { for r in 0..<(rows * heads) { biasRows[p].append(bias.scalars[r * n + i]) } }
            }
        }
        count += produced.count
    }

    /// The cached keys' confidence bias of part `p`: `[B·n, H, 1, Tc]` (nil without the bias).
    func bias(part p: Int) -> Tensor? {
        guard !biasRows[p].isEmpty else { return nil }
        let (rows, heads) = biasShape[p]
        let width = rows * heads
        let tc = biasRows[p].count / width
        let source = biasRows[p]
        return Tensor(shape: [rows, heads, 1, tc]) { out in
            for r in 0..<width { for i in 0..<tc { out[r * tc + i] = source[i * width + r] } }
        }
    }
}
