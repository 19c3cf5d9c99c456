import Tensors

/// What the clean stream yields for each of its new positions q: the AR estimate μ_q of frame q,
/// its predicted confidence ĉ_q, the progress of the frame held at q, and the updated cache.
public struct CleanOutput {
    /// `[B, Tq, J, 2]`: the coarse estimate of the frame following each position.
    public var mean: Var
    /// `[B, Tq, J]` in (0, 1): the predicted confidence of that frame.
    public var confidence: Var
    /// `[B, Tq]`: how far through the sequence (0 → 1) the frame held at each position is.
    public var progress: Var
    /// Keys/values of these positions.
    public var produced: CleanStreamCache
    /// The earlier positions (graph form), when there were any.
    var previous: CleanStreamCache?

    /// Keys/values of every position so far in graph form (the previous ones plus these).
    public var cache: CleanStreamCache { previous.map { $0.appending(produced) } ?? produced }
}

extension HybridSignNetwork {
    /// The conditioning of the clean stream: the flow-time embedding at t = r = 0, `[1, 1, D]`.
    func cleanCondition(graph: Graph) -> Var {
        let zero = graph.constant(Tensor(zeros: [1, 1]))
        return timeCondition(t: zero, r: zero)
    }

    /// Runs the clean stream over new positions following `history`.
    ///
    /// - `frames`: `[B, Tf, J, 2]` clean normalised frames (missing joints 0) and `confidence`
    ///   `[B, Tf, J]` (the data's in training; the predicted, at inference) for their keys' bias.
    /// - `firstFrame`: the frame index of `frames[:, 0]`; `prependBOS` adds the start token before them
    ///   (position 0). Positions attend causally to the cache and to each other.
    public func cleanPass(frames: Tensor?, confidence: Tensor?, firstFrame: Int, prependBOS: Bool,
                          text: TextContext, history: History, conditioning: ConditioningCache? = nil, graph: Graph) -> CleanOutput {
        guard let layers = clean else { preconditionFailure("cleanPass: a diffusion model has no clean stream") }
        let d = config.dim
        let b = frames?.shape[0] ?? text.states.shape[0]
        let tf = frames?.shape[1] ?? 0
        let tq = tf + (prependBOS ? 1 : 0)
        let jointCount = partRanges.last?.upperBound ?? 0
        var confidences: [Tensor] = []
        if prependBOS { confidences.append(Tensor(repeating: 1, shape: [b, 1, jointCount])) }
        if let confidence { confidences.append(confidence) }
        let keyConfidence = graph.constant(confidences.count == 1 ? confidences[0] : Tensor.concat(confidences, axis: 1))
        let frameVar = frames.map { graph.constant($0) }
        let frameIndices = [[Int]](repeating: Array(firstFrame..<(firstFrame + tf)), count: b)
        var tokens: [Var] = []
        for p in partRanges.indices {
            var pieces: [Var] = []
            if prependBOS {
                // Attached: an op on the parameter alone would belong to no graph and never learn.
                pieces.append(broadcast(graph.attach(layers.bos[p]).reshaped([1, 1, tokensPerPart[p], d]), to: [b, 1, tokensPerPart[p], d]))
            }
            if let frameVar, tf > 0 {
                pieces.append(layers.embedders[p](partSlice(frameVar, p)) + positions(part: p, frames: frameIndices, graph: graph))
            }
            tokens.append(pieces.count == 1 ? pieces[0] : concat(pieces, axis: 1))
        }
        let previous = history.count
        let mask: Tensor? = tq > 1 ? AttentionMask.causal(queries: tq, keys: previous + tq) : nil
        let (x, produced) = runBlocks(tokens, flow: false, cond: { cleanCondition(graph: graph) }, memory: history,
                                      ownBiases: biases(keyConfidence), masks: [Tensor?](repeating: mask, count: tokens.count),
                                      text: text, modulations: conditioning?.table(t: 0, r: 0) ?? ModulationTable())
        var means: [Var] = [], confs: [Var] = [], pooled: [Var] = []
        for p in x.indices {
            let h = layers.norm(x[p])
            means.append(layers.meanHeads[p](h))
            confs.append(sigmoid(layers.confidenceHeads[p](h)))
            pooled.append(sum(h, alongAxis: 2))
        }
        let tokenCount = Float(tokensPerPart.reduce(0, +))
        let pool = (pooled.count == 1 ? pooled[0] : pooled.dropFirst().reduce(pooled[0], +)) * (1 / tokenCount)
        let progress = layers.progressHead(pool).reshaped([b, tq])
        return CleanOutput(mean: joinParts(means, channels: 2), confidence: joinParts(confs, channels: 1).reshaped([b, tq, jointCount]),
                           progress: progress, produced: produced, previous: { if case .graph(let c) = history { c } else { nil } }())
    }

    /// Runs the noisy stream: item (b, i) is a noisy frame `z[b, i]` of frame index `frames[b][i]`
    /// (−1 marks padding), with the coarse estimate `mean[b, i]` and the confidence `ownConfidence[b, i]`
    /// of its own key. With a `history` (the clean stream's keys/values of sequence b, positions
    /// 0...T) item (b, i) attends to clean positions 0...frames[b][i] and to itself; without one
    /// (`.none`, diffusion) the items of a sequence attend to each other (non-causal, padding masked).
    ///
    /// - `z`: `[B, Tg, J, 2]` (carry a tangent for the MeanFlow JVP); `t`, `r`: `[B, Tg]`.
    /// - Returns the average velocity u `[B, Tg, J, 2]` (t must be > 0).
    public func noisyPass(z: Var, mean: Tensor, ownConfidence: Tensor, frames: [[Int]], t: Var, r: Var,
                          text: TextContext, history: History, conditioning: ConditioningCache? = nil, graph: Graph) -> Var {
        guard let layers = noisy else { preconditionFailure("noisyPass: an ar model has no noisy stream") }
        let (b, tg) = (z.shape[0], z.shape[1])
        let input = concat([z, graph.constant(mean)], axis: 3)
        var tokens: [Var] = []
        for p in partRanges.indices {
            tokens.append(layers.embedders[p](partSlice(input, p)) + positions(part: p, frames: frames, graph: graph))
        }
        let masks = partRanges.indices.map { noisyMask(frames: frames, memoryCount: { if case .none = history { nil } else { history.count } }(), tokens: tokensPerPart[$0]) }
        // A shared table only when every item has the same (t, r) (the sampler's case); its
        // values come from one `[1, 1, D]` conditioning, broadcast over the batch.
        var table = ModulationTable()
        var shared: (t: Float, r: Float)?
        if let conditioning, let t0 = t.value.scalars.first, let r0 = r.value.scalars.first,
           t.value.scalars.allSatisfy({ $0 == t0 }), r.value.scalars.allSatisfy({ $0 == r0 }), t.tangent == nil {
            table = conditioning.table(t: t0, r: r0)
            shared = (t0, r0)
        }
        lazy var cond = shared.map { timeCondition(t: graph.constant(Tensor(shape: [1, 1], scalars: [$0.t])),
                                                   r: graph.constant(Tensor(shape: [1, 1], scalars: [$0.r]))) }
            ?? timeCondition(t: t, r: r)
        let (x, _) = runBlocks(tokens, flow: true, cond: { cond }, memory: history, ownBiases: biases(graph.constant(ownConfidence)),
                               masks: masks, text: text, modulations: table)
        let m = table.values(for: layers.finalModulation) {
            split(layers.finalModulation(silu(cond)).reshaped([cond.shape[0], cond.shape[1], 1, 2 * config.dim]), axis: 3, sizes: [config.dim, config.dim])
        }
        var outputs: [Var] = []
        for p in x.indices {
            outputs.append(layers.velocityHeads[p](modulate(layerNorm(x[p]), shift: m[0], scale: m[1])))
        }
        // The head predicts a correction Δ of the estimate: the clean frame x̂ = μ + Δ, and the
        // average velocity u = (z − x̂) / t. Untrained (Δ = 0) one step from t = 1 returns μ
        // exactly, so the flow refines the AR estimate instead of having to learn to divide by t.
        let clean = graph.constant(mean) + joinParts(outputs, channels: 2)
        return (z - clean) / t.reshaped([b, tg, 1, 1])
    }

    /// The noisy stream's temporal mask `[B·n, 1, Tg, Tk]` (nil when nothing is masked).
    func noisyMask(frames: [[Int]], memoryCount: Int?, tokens n: Int) -> Tensor? {
        let b = frames.count, tg = frames.first?.count ?? 0
        let tc = memoryCount ?? 0
        let tk = tc + tg
        var base = [Float](repeating: 0, count: b * tg * tk)
        var anyMasked = false
        for bi in 0..<b {
            for i in 0..<tg {
                let frame = frames[bi][i]
                for j in 0..<tk {
                    let allowed: Bool
                    if memoryCount != nil {
                        allowed = j < tc ? (frame >= 0 && j <= frame) : (j - tc == i)
                    } else {
                        // Diffusion: every real frame of the sequence; padding attends to itself only.
                        allowed = frame >= 0 ? frames[bi][j] >= 0 : j == i
                    }
                    if !allowed {
                        base[(bi * tg + i) * tk + j] = -.infinity
                        anyMasked = true
                    }
                }
            }
        }
        guard anyMasked else { return nil }
        return Tensor(shape: [b * n, 1, tg, tk]) { out in
            for bi in 0..<b {
                for k in 0..<n {
                    let dst = (bi * n + k) * tg * tk
                    for e in 0..<(tg * tk) { out[dst + e] = base[bi * tg * tk + e] }
                }
            }
        }
    }
}
