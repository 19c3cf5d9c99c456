import Tensors

/// A pre-norm transformer layer over the text (non-causal, key-padding masked).
final class TextLayer: Layer {
    let qkv: Linear
    let out: Linear
    let mlp: FeedForward
    let heads: Int
    let normA: LayerNorm
    let normB: LayerNorm

    init(dim: Int, heads: Int, mlp: Int, rng: inout RandomGenerator) {
        self.heads = heads
        normA = LayerNorm(dim)
        normB = LayerNorm(dim)
        qkv = Linear(dim, 3 * dim, rng: &rng)
        out = Linear(dim, dim, rng: &rng)
        self.mlp = FeedForward(dim, hidden: mlp, dim, rng: &rng)
    }

    var children: [(String, any Layer)] { [("norm1", normA), ("qkv", qkv), ("out", out), ("norm2", normB), ("mlp", mlp)] }

    /// `x: [B, L, D]`, `mask: [B, 1, 1, L]`.
    func callAsFunction(_ x: Var, mask: Tensor?) -> Var {
        let d = x.shape[2]
        let parts = split(qkv(normA(x)), axis: 2, sizes: [d, d, d]).map { splitHeads($0, heads: heads) }
        let a = attention(q: parts[0], k: parts[1], v: parts[2], scale: 1 / Float(d / heads).squareRoot(), mask: mask)
        let h = x + out(mergeHeads(a))
        return h + mlp(normB(h))
    }
}

/// The text encoder: built-in (embeddings of characters or words + sin-cos positions + a small
/// non-causal transformer) or a projection of precomputed sentence features.
final class TextEncoder: Layer {
    let embedding: Embedding?
    let projection: Linear?
    let layers: LayerList<TextLayer>
    let finalNorm: LayerNorm
    let dim: Int

    init(config: ModelConfig, vocabularySize: Int, rng: inout RandomGenerator) {
        dim = config.dim
        if config.text == .sentence {
            embedding = nil
            projection = Linear(config.sentenceWidth, config.dim, rng: &rng)
        } else {
            embedding = Embedding(max(vocabularySize, 1), config.dim, rng: &rng)
            projection = nil
        }
        var layers: [TextLayer] = []
        for _ in 0..<config.textLayers { layers.append(TextLayer(dim: config.dim, heads: config.heads, mlp: config.mlp, rng: &rng)) }
        self.layers = LayerList(layers)
        finalNorm = LayerNorm(config.dim)
    }

    var children: [(String, any Layer)] {
        var c: [(String, any Layer)] = []
        if let embedding { c.append(("embedding", embedding)) }
        if let projection { c.append(("projection", projection)) }
        return c + [("layers", layers), ("norm", finalNorm)]
    }

    /// Encodes a padded batch: `ids` B × L (0 = padding) or `features` `[B, L, width]`, with
    /// `lengths`. Returns states `[B, L, D]` and the key-padding mask `[B, 1, 1, L]`.
    func callAsFunction(ids: [[Int]]?, features: Tensor?, lengths: [Int], graph: Graph) -> (Var, Tensor) {
        let b = lengths.count
        let l = max(lengths.max() ?? 1, 1)
        var x: Var
        if let embedding, let ids {
            var flat: [Int] = []
            for row in ids { flat += row + [Int](repeating: 0, count: l - row.count) }
            x = embedding(flat, graph: graph).reshaped([b, l, dim])
        } else {
            x = projection!(graph.constant(features!))
        }
        let positions = sinCosEmbedding(positions: (0..<l).map(Float.init), dim: dim)
        x = x + graph.constant(positions.reshaped([1, l, dim]))
        let mask = AttentionMask.keyPadding(lengths: lengths, keys: l)
        for layer in layers.layers { x = layer(x, mask: mask) }
        return (finalNorm(x), mask)
    }
}
