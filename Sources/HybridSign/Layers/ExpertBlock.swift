import Tensors

/// Keys, values and confidence bias of earlier positions of one expert layer's temporal attention:
/// `keys`, `values` `[B·n, H, Tc, Dh]`, `bias` `[B·n, H, 1, Tc]` (nil without the confidence bias).
/// The clean stream's memory is the KV cache of the streaming sampler.
public struct TemporalMemory {
    public var keys: Var
    public var values: Var
    public var bias: Var?

    /// Number of cached positions, Tc.
    public var count: Int { keys.shape[2] }

    /// This memory followed by `other` (positions appended).
    func appending(_ other: TemporalMemory) -> TemporalMemory {
        TemporalMemory(keys: concat([keys, other.keys], axis: 2), values: concat([values, other.values], axis: 2),
                       bias: bias.flatMap { b in other.bias.map { concat([b, $0], axis: 3) } })
    }
}

/// Earlier positions for one expert layer's temporal attention: graph nodes (training, teacher
/// forcing: differentiable) or the streaming sampler's append-only cache (inference).
enum TemporalHistory {
    case graph(TemporalMemory)
    /// The cache and the confidence bias of its keys `[B·n, H, 1, Tc]` (nil without the bias).
    case streaming(Tensors.KVCache, Tensor?)
}

/// One expert block on a part's tokens `x: [B, T, n, D]`:
/// adaLN → spatial attention among the part's tokens of a frame (joint tokens only) →
/// confidence-aware temporal attention per token over frames → cross-attention to the text → MLP,
/// each with a gated residual (gates zero-initialised, so a new block is the identity).
final class ExpertBlock: Layer {
    let dim: Int
    let heads: Int
    let modulation: Linear
    let spatialQKV: Linear?
    let spatialOut: Linear?
    let temporalQKV: Linear
    let temporalOut: Linear
    let crossQ: Linear
    let crossKV: Linear
    let crossOut: Linear
    let mlp: FeedForward
    /// Sub-layers with their own shift/scale/gate: (spatial), temporal, cross, mlp.
    let sublayers: Int

    init(dim: Int, heads: Int, mlp hidden: Int, spatial: Bool, rng: inout RandomGenerator) {
        self.dim = dim
        self.heads = heads
        sublayers = spatial ? 4 : 3
        modulation = Linear(zeros: dim, 3 * sublayers * dim)
        spatialQKV = spatial ? Linear(dim, 3 * dim, rng: &rng) : nil
        spatialOut = spatial ? Linear(dim, dim, rng: &rng) : nil
        temporalQKV = Linear(dim, 3 * dim, rng: &rng)
        temporalOut = Linear(dim, dim, rng: &rng)
        crossQ = Linear(dim, dim, rng: &rng)
        crossKV = Linear(dim, 2 * dim, rng: &rng)
        crossOut = Linear(dim, dim, rng: &rng)
        mlp = FeedForward(dim, hidden: hidden, dim, rng: &rng)
    }

    var children: [(String, any Layer)] {
        var c: [(String, any Layer)] = [("modulation", modulation)]
        if let spatialQKV, let spatialOut { c += [("spatial_qkv", spatialQKV), ("spatial_out", spatialOut)] }
        return c + [("temporal_qkv", temporalQKV), ("temporal_out", temporalOut), ("cross_q", crossQ),
                    ("cross_kv", crossKV), ("cross_out", crossOut), ("mlp", mlp)]
    }

    var scale: Float { 1 / Float(dim / heads).squareRoot() }

    /// The text's keys and values for this block: `states: [B, L, D]`.
    func textMemory(states: Var, mask: Tensor?) -> TextMemory {
        let s = states.shape
        let kv = permute(crossKV(states).reshaped([s[0], s[1], 2, heads, dim / heads]), [2, 0, 3, 1, 4])
        let parts = split(kv.reshaped([2, s[0] * heads * s[1] * (dim / heads)]), axis: 0, sizes: [1, 1])
        return TextMemory(keys: parts[0].reshaped([s[0], heads, s[1], dim / heads]),
                          values: parts[1].reshaped([s[0], heads, s[1], dim / heads]), mask: mask)
    }

    /// The adaLN shift/scale/gate triples from the conditioning `cond: [Bc, Tc, D]` (Bc, Tc may be 1),
    /// each `[Bc, Tc, 1, D]`.
    func modulations(_ cond: Var) -> [Var] {
        let s = cond.shape
        let m = modulation(silu(cond)).reshaped([s[0], s[1], 1, 3 * sublayers * dim])
        return split(m, axis: 3, sizes: [Int](repeating: dim, count: 3 * sublayers))
    }

    /// Runs the block.
    /// - `x`: `[B, T, n, D]`; `mods`: from ``modulations(_:)``.
    /// - `memory`: earlier positions' keys/values for the temporal attention (clean history), or nil.
    /// - `ownBias`: confidence bias of this input's own keys `[B·n, H, 1, T]` (nil: no bias).
    /// - `temporalMask`: additive mask over keys = memory ++ own, broadcastable to `[B·n, 1, T, Tc+T]`.
    /// Returns the output and this input's own temporal memory (keys/values/bias).
    func callAsFunction(_ x: Var, mods: [Var], memory: TemporalHistory?, ownBias: Var?, temporalMask: Tensor?,
                        text: TextMemory) -> (Var, TemporalMemory) {
        let (b, t, n) = (x.shape[0], x.shape[1], x.shape[2])
        let dh = dim / heads
        var x = x
        var m = 0
        func next() -> (Var, Var, Var) { defer { m += 3 }; return (mods[m], mods[m + 1], mods[m + 2]) }

        if let spatialQKV, let spatialOut {
            let (shift, scl, gate) = next()
            let h = modulate(layerNorm(x), shift: shift, scale: scl)
            let qkv = permute(spatialQKV(h).reshaped([b * t, n, 3, heads, dh]), [2, 0, 3, 1, 4])
                .reshaped([3, b * t * heads * n * dh])
            let p = split(qkv, axis: 0, sizes: [1, 1, 1]).map { $0.reshaped([b * t, heads, n, dh]) }
            let a = attention(q: p[0], k: p[1], v: p[2], scale: scale)
            x = x + gate * spatialOut(permute(a, [0, 2, 1, 3]).reshaped([b, t, n, dim]))
        }

        // Temporal: per token index over frames, keys = memory ++ own.
        let own: TemporalMemory
        do {
            let (shift, scl, gate) = next()
            let h = modulate(layerNorm(x), shift: shift, scale: scl)
            let qkv = permute(temporalQKV(h).reshaped([b, t, n, 3, heads, dh]), [3, 0, 2, 4, 1, 5])
                .reshaped([3, b * n * heads * t * dh])
            let p = split(qkv, axis: 0, sizes: [1, 1, 1]).map { $0.reshaped([b * n, heads, t, dh]) }
            own = TemporalMemory(keys: p[1], values: p[2], bias: ownBias)
            let a: Var
            switch memory {
            case .streaming(let cache, let bias):
                // Inference: attend in place over the cached positions plus this input's own keys.
                let fullBias = bias.flatMap { b in ownBias.map { concat([x.graph!.constant(b), $0], axis: 3) } }
                a = cache.attention(q: p[0], scale: scale, extraKeys: p[1], extraValues: p[2], bias: fullBias, mask: temporalMask)
            case .graph(let history):
                let keys = history.appending(own)
                a = attention(q: p[0], k: keys.keys, v: keys.values, scale: scale, bias: keys.bias, mask: temporalMask)
            case nil:
                a = attention(q: p[0], k: own.keys, v: own.values, scale: scale, bias: own.bias, mask: temporalMask)
            }
            let merged = permute(a.reshaped([b, n, heads, t, dh]), [0, 3, 1, 2, 4]).reshaped([b, t, n, dim])
            x = x + gate * temporalOut(merged)
        }

        // Cross-attention: every token of every frame queries the text.
        do {
            let (shift, scl, gate) = next()
            let h = modulate(layerNorm(x), shift: shift, scale: scl)
            if let folded = text.folded {
                x = x + gate * folded.attend(h.reshaped([b, t * n, dim])).reshaped([b, t, n, dim])
            } else {
                let q = permute(crossQ(h).reshaped([b, t * n, heads, dh]), [0, 2, 1, 3])
                let a = attention(q: q, k: text.keys, v: text.values, scale: scale, mask: text.mask)
                x = x + gate * crossOut(permute(a, [0, 2, 1, 3]).reshaped([b, t, n, dim]))
            }
        }

        do {
            let (shift, scl, gate) = next()
            x = x + gate * mlp(modulate(layerNorm(x), shift: shift, scale: scl))
        }
        return (x, own)
    }
}

/// Multi-scale fusion: all tokens of a frame attend to each other (body scale), then RMSNorm:
/// `x ← RMSNorm(x + Attn(LN(x)))` on `[B, T, N, D]`.
final class FusionBlock: Layer {
    let norm: LayerNorm
    let qkv: Linear
    let out: Linear
    let outputNorm: RMSNorm
    let heads: Int
    let dim: Int

    init(dim: Int, heads: Int, rng: inout RandomGenerator) {
        self.dim = dim
        self.heads = heads
        norm = LayerNorm(dim)
        qkv = Linear(dim, 3 * dim, rng: &rng)
        out = Linear(dim, dim, rng: &rng)
        outputNorm = RMSNorm(dim)
    }

    var children: [(String, any Layer)] { [("norm", norm), ("qkv", qkv), ("out", out), ("output_norm", outputNorm)] }

    func callAsFunction(_ x: Var) -> Var {
        let (b, t, n) = (x.shape[0], x.shape[1], x.shape[2])
        let dh = dim / heads
        let p = split(permute(qkv(norm(x)).reshaped([b * t, n, 3, heads, dh]), [2, 0, 3, 1, 4]).reshaped([3, b * t * heads * n * dh]),
                      axis: 0, sizes: [1, 1, 1]).map { $0.reshaped([b * t, heads, n, dh]) }
        let a = attention(q: p[0], k: p[1], v: p[2], scale: 1 / Float(dh).squareRoot())
        return outputNorm(x + out(permute(a, [0, 2, 1, 3]).reshaped([b, t, n, dim])))
    }
}
