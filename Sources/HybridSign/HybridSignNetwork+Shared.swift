import PoseData
import Tensors

/// The pieces both streams use: text encoding, flow-time conditioning, positions, the parts' slices,
/// the expert stacks and fusion, and the confidence bias.
extension HybridSignNetwork {
    /// Encodes a batch of texts: `ids` (B lists of vocabulary ids) or `features` (B matrices);
    /// with signer conditioning, `signers` (B signer ids, 0 = none; nil = none for all) adds each
    /// sequence's signer embedding as one more text token.
    public func encodeText(ids: [[Int]]? = nil, features: [TextFeatures]? = nil, signers: [Int]? = nil, graph: Graph) -> TextContext {
        let (states, mask) = encodeTextStates(ids: ids, features: features, graph: graph)
        guard let signerTable else { return TextContext(states: states, mask: mask) }
        return withSigners(states: states, mask: mask, signers: signers ?? [Int](repeating: 0, count: states.shape[0]),
                           table: signerTable, graph: graph)
    }

    /// The text states `[B, L + 1, D]` with the signer token after the last slot, and the mask that
    /// shows it (the text's own padding stays hidden).
    private func withSigners(states: Var, mask: Tensor, signers: [Int], table: Parameter, graph: Graph) -> TextContext {
        let (b, l, d) = (states.shape[0], states.shape[1], states.shape[2])
        precondition(signers.count == b, "one signer id per sequence")
        let tokens = embedding(table, ids: signers, graph: graph).reshaped([b, 1, d])
        let hidden = mask.scalars
        let extended = Tensor(shape: [b, 1, 1, l + 1]) { out in
            for row in 0..<b {
                for k in 0..<l { out[row * (l + 1) + k] = hidden[row * l + k] }
                out[row * (l + 1) + l] = 0
            }
        }
        return TextContext(states: concat([states, tokens], axis: 1), mask: extended)
    }

    private func encodeTextStates(ids: [[Int]]?, features: [TextFeatures]?, graph: Graph) -> (Var, Tensor) {
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
            return textEncoder(ids: nil, features: values, lengths: lengths, graph: graph)
        }
        let ids = ids ?? [[0]]
        return textEncoder(ids: ids, features: nil, lengths: ids.map { max($0.count, 1) }, graph: graph)
    }

    /// Flow-time conditioning `[B, T, D]` from `t`, `r` `[B, T]`: MLP(sincos t) + MLP(sincos(t − r)).
    func timeCondition(t: Var, r: Var) -> Var {
        let s = t.shape
        let c = timeEmbedding(t) + gapEmbedding(t - r)
        return c.reshaped([s[0], s[1], config.dim])
    }

    /// Positional embedding of part `p` for frames (B × T indices): constant + learned part embedding.
    func positions(part p: Int, frames: [[Int]], graph: Graph) -> Var {
        let d = config.dim
        if let partEmbedding {
            let framePart = graph.constant(framePositions(frames, width: d, offset: 0, total: d))
            // Attached: an op on the parameter alone would belong to no graph and never learn.
            return framePart + slice(graph.attach(partEmbedding), axis: 0, p..<(p + 1)).reshaped([1, 1, 1, d])
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

    /// Runs expert stacks (layer by layer, part by part), then fusion: the clean stream's, or with
    /// `flow` the noisy stream's (its own under `flowBackbone: separate`). The parts of a layer run
    /// concurrently, in groups of about equal token counts (one per core), when they are large
    /// enough (``Graph/concurrently(_:_:)``: training records, and differentiates, on both cores).
    ///
    /// `cond` makes the flow-time conditioning the modulations are computed from; it runs only if
    /// `modulations` lacks a block's values (a sampler's table usually has them all).
    func runBlocks(_ tokens: [Var], flow: Bool, cond makeCondition: () -> Var, memory: History, ownBiases: [Var?], masks: [Tensor?],
                   text: TextContext, modulations: ModulationTable = ModulationTable()) -> ([Var], CleanStreamCache) {
        let (stacks, fusion) = flow ? flowBackbone ?? (stacks, fusion) : (stacks, fusion)
        var x = tokens
        var produced = [[TemporalMemory]](repeating: [], count: x.count)
        let groups = concurrentGroups(tokens)
        lazy var cond = makeCondition()
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
