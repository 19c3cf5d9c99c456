import Tensors

/// Embeds one part's joint values into its tokens.
///
/// Part tokens: the part's `J_p × c` values (c = 2 for clean frames (x, y), 4 for noisy ones
/// (z, μ)) → Linear → GELU → Linear → D, one token per frame. Joint tokens: `Linear(c → D)` of each
/// joint's values, `J_p` tokens per frame.
final class TokenEmbedder: Layer {
    let first: Linear
    let second: Linear?
    let joints: Int
    let channels: Int
    let perPart: Bool

    init(kind: TokenKind, joints: Int, channels: Int, dim: Int, rng: inout RandomGenerator) {
        self.joints = joints
        self.channels = channels
        perPart = kind == .part
        if perPart {
            first = Linear(joints * channels, dim, rng: &rng)
            second = Linear(dim, dim, rng: &rng)
        } else {
            first = Linear(channels, dim, rng: &rng)
            second = nil
        }
    }

    var children: [(String, any Layer)] { [("in", first)] + (second.map { [("out", $0)] } ?? []) }

    /// `values: [B, T, J_p, c]` → `[B, T, n, D]`.
    func callAsFunction(_ values: Var) -> Var {
        let s = values.shape
        if let second {
            return second(gelu(first(values.reshaped([s[0], s[1], 1, joints * channels]))))
        }
        return first(values)
    }
}

/// Confidence → small MLP → one attention-logit bias per head, for the temporal keys.
/// Part tokens read the part's joints' confidence vector, joint tokens their own confidence.
final class ConfidenceBias: Layer {
    let mlp: FeedForward
    let perPart: Bool
    let joints: Int
    let heads: Int

    init(kind: TokenKind, joints: Int, heads: Int, rng: inout RandomGenerator) {
        perPart = kind == .part
        self.joints = joints
        self.heads = heads
        mlp = FeedForward(perPart ? joints : 1, hidden: 16, heads, rng: &rng)
    }

    var children: [(String, any Layer)] { [("mlp", mlp)] }

    /// `confidence: [B, T, J_p]` → bias `[B·n, H, 1, T]`.
    func callAsFunction(_ confidence: Var) -> Var {
        let s = confidence.shape
        let (b, t) = (s[0], s[1])
        let n = perPart ? 1 : joints
        let input = confidence.reshaped([b, t, n, perPart ? joints : 1])
        let bias = mlp(input)                                        // [B, T, n, H]
        return permute(bias, [0, 2, 3, 1]).reshaped([b * n, heads, 1, t])
    }
}
