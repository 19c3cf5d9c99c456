import Tensors

/// `[B, T, H·Dh]` → `[B, H, T, Dh]`.
func splitHeads(_ x: Var, heads: Int) -> Var {
    let s = x.shape
    return permute(x.reshaped([s[0], s[1], heads, s[2] / heads]), [0, 2, 1, 3])
}

/// `[B, H, T, Dh]` → `[B, T, H·Dh]`.
func mergeHeads(_ x: Var) -> Var {
    let s = x.shape
    return permute(x, [0, 2, 1, 3]).reshaped([s[0], s[2], s[1] * s[3]])
}

/// adaLN modulation: `x · (1 + scale) + shift`, with shift and scale broadcast over tokens.
func modulate(_ x: Var, shift: Var, scale: Var) -> Var {
    x * (1 + scale) + shift
}

/// Two linear layers with a GELU between: `In → Hidden → Out`.
final class FeedForward: Layer {
    let input: Linear
    let output: Linear

    init(_ inputs: Int, hidden: Int, _ outputs: Int, zeroOutput: Bool = false, rng: inout RandomGenerator) {
        input = Linear(inputs, hidden, rng: &rng)
        output = zeroOutput ? Linear(zeros: hidden, outputs) : Linear(hidden, outputs, rng: &rng)
    }

    var children: [(String, any Layer)] { [("in", input), ("out", output)] }

    func callAsFunction(_ x: Var) -> Var { output(gelu(input(x))) }
}

/// The text's keys and values for one attention layer: `[B, H, L, Dh]` each, and the key-padding
/// mask `[B, 1, 1, L]`; for an expert block at inference, also the same with its cross-attention
/// projections folded in.
struct TextMemory {
    let keys: Var
    let values: Var
    let mask: Tensor?
    var folded: FoldedTextMemory?
}
