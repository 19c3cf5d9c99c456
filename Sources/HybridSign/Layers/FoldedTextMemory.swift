import Tensors

/// A block's cross-attention to the text with its query and output projections folded into the
/// text's keys and values: the form inference uses.
///
/// Per head h (width Dh), a token state x and text token j have the logit
/// scale·(x·Wqₕᵀ + bqₕ)·Kₕⱼ = x·(scale·Kₕⱼ·Wqₕ) + scale·bqₕ·Kₕⱼ, and the block's output is
/// Σₕ (Σⱼ pₕⱼ·Vₕⱼ)·Woutₕᵀ + bout = Σₕⱼ pₕⱼ·(Vₕⱼ·Woutₕᵀ) + bout, where Wqₕ holds Wq's rows of head h
/// and Woutₕ Wout's columns of it. With the keys K′ = scale·Kₕⱼ·Wqₕ and values V′ = Vₕⱼ·Woutₕᵀ
/// (`[B, H·L, D]`, computed once per text), a token costs 2·H·L·D multiply-adds instead of
/// 2·D² + 2·L·D (its query, its output and the attention), and the projections' weights are not
/// read for every token. Fewer while (H − 1)·L < D: for the `paper` preset (D = 512, 4 heads), texts
/// of fewer than 171 tokens. The same sums in another order, so results agree to float rounding.
struct FoldedTextMemory {
    /// `[B, H·L, D]`: scale·Kₕⱼ·Wqₕ, head by head.
    let keys: Var
    /// `[B, 1, H·L]`: scale·bqₕ·Kₕⱼ plus the key-padding mask.
    let offsets: Var
    /// `[B, H·L, D]`: Vₕⱼ·Woutₕᵀ, head by head.
    let values: Var
    /// The output projection's bias `[D]`, if it has one.
    let outputBias: Var?
    let heads: Int

    /// Folds `block`'s cross-attention projections into `memory`, or nil when that would cost more
    /// per token than it saves, or when the text carries a tangent (the folded weights are constants).
    init?(block: ExpertBlock, memory: TextMemory) {
        let k = memory.keys.value, v = memory.values.value
        let (b, h, l, dh) = (k.shape[0], k.shape[1], k.shape[2], k.shape[3])
        let d = block.dim
        guard let graph = memory.keys.graph, memory.keys.tangent == nil, memory.values.tangent == nil, (h - 1) * l < d else {
            return nil
        }
        func byHead(_ t: Tensor) -> Tensor { t.permuted([1, 0, 2, 3]).reshaped([h, b * l, dh]) }
        func byBatch(_ t: Tensor) -> Tensor { t.reshaped([h, b, l, d]).permuted([1, 0, 2, 3]).reshaped([b, h * l, d]) }
        let scale = block.scale
        let queryWeights = block.crossQ.weight.value.reshaped([h, dh, d])                              // Wqₕ
        let outputWeights = block.crossOut.weight.value.reshaped([d, h, dh]).permuted([1, 2, 0])        // Woutₕᵀ
        keys = graph.constant(byBatch(Tensor.matmul(byHead(k), queryWeights)) * scale)
        values = graph.constant(byBatch(Tensor.matmul(byHead(v), outputWeights)))
        let keyScalars = k.scalars
        let queryBias = block.crossQ.bias?.value.scalars
        let mask = memory.mask?.scalars
        offsets = graph.constant(Tensor(shape: [b, 1, h * l]) { out in
            for bi in 0..<b {
                for hi in 0..<h {
                    for li in 0..<l {
                        var dot: Float = 0
                        if let queryBias {
                            let row = ((bi * h + hi) * l + li) * dh
                            for c in 0..<dh { dot += keyScalars[row + c] * queryBias[hi * dh + c] }
                        }
                        out[(bi * h + hi) * l + li] = scale * dot + (mask?[bi * l + li] ?? 0)
                    }
                }
            }
        })
        outputBias = block.crossOut.bias.map { graph.constant($0.value) }
        heads = h
    }

    /// The block's cross-attention output `[B, N, D]` (its output projection applied) for token
    /// states `x: [B, N, D]`.
    func attend(_ x: Var) -> Var {
        let (b, n, hl) = (x.shape[0], x.shape[1], keys.shape[1])
        let logits = matmul(x, keys, transposeB: true) + offsets
        let weights = softmax(logits.reshaped([b, n, heads, hl / heads])).reshaped([b, n, hl])
        let y = matmul(weights, values)
        return outputBias.map { y + $0 } ?? y
    }
}
