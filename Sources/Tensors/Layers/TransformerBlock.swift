/// Multi-head self-attention on `[B, T, D]`: a fused QKV projection, ``attention(q:k:v:scale:bias:mask:)``
/// per head, and an output projection.
public final class MultiHeadAttention: Layer {
    public let heads: Int
    public let qkv: Linear
    public let out: Linear

    public init(dim: Int, heads: Int, rng: inout RandomGenerator) {
        requireShape(dim % heads == 0, "MultiHeadAttention: dim \(dim) is not a multiple of heads \(heads)")
        self.heads = heads
        qkv = Linear(dim, 3 * dim, rng: &rng)
        out = Linear(dim, dim, rng: &rng)
    }

    public var children: [(String, any Layer)] { [("qkv", qkv), ("out", out)] }

    /// `x: [B, T, D]` → `[B, T, D]`; `mask` as in ``attention(q:k:v:scale:bias:mask:)``.
    public func callAsFunction(_ x: Var, bias: Var? = nil, mask: Tensor? = nil) -> Var {
        let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
        let dh = d / heads
        // [B, T, 3, H, Dh] → [3, B, H, T, Dh]
        let projected = permute(reshape(qkv(x), [b, t, 3, heads, dh]), [2, 0, 3, 1, 4])
        let parts = split(projected, axis: 0, sizes: [1, 1, 1]).map { reshape($0, [b, heads, t, dh]) }
        let y = attention(q: parts[0], k: parts[1], v: parts[2], scale: 1 / Float(dh).squareRoot(), bias: bias, mask: mask)
        return out(reshape(permute(y, [0, 2, 1, 3]), [b, t, d]))
    }
}

/// A pre-norm transformer block: `x + attn(LN(x))`, then `x + MLP(LN(x))` with a GELU MLP of width
/// `mlpRatio · D`. Used by `hybridsign bench block`, and a pattern for model blocks.
public final class TransformerBlock: Layer {
    public let norm1: LayerNorm
    public let attn: MultiHeadAttention
    public let norm2: LayerNorm
    public let fc1: Linear
    public let fc2: Linear

    public init(dim: Int, heads: Int, mlpRatio: Int = 4, rng: inout RandomGenerator) {
        norm1 = LayerNorm(dim)
        attn = MultiHeadAttention(dim: dim, heads: heads, rng: &rng)
        norm2 = LayerNorm(dim)
        fc1 = Linear(dim, mlpRatio * dim, rng: &rng)
        fc2 = Linear(mlpRatio * dim, dim, rng: &rng)
    }

    public var children: [(String, any Layer)] {
        [("norm1", norm1), ("attn", attn), ("norm2", norm2), ("fc1", fc1), ("fc2", fc2)]
    }

    /// `x: [B, T, D]` → `[B, T, D]`.
    public func callAsFunction(_ x: Var, mask: Tensor? = nil) -> Var {
        let h = x + attn(norm1(x), mask: mask)
        return h + fc2(gelu(fc1(norm2(h))))
    }

    /// Matrix-multiply FLOPs of one forward pass on `[batch, tokens, dim]` (backward costs twice this).
    public static func forwardFLOPs(batch: Int, tokens: Int, dim: Int, mlpRatio: Int = 4) -> Double {
        let n = Double(batch * tokens), d = Double(dim)
        let projections = 2 * n * d * d * Double(3 + 1 + 2 * mlpRatio)
        let attention = 4 * Double(batch) * Double(tokens) * Double(tokens) * d
        return projections + attention
    }
}
