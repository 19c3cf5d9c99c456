import Tensors

/// Flow-time conditioning: `MLP(sincos(100·t))`, `t: [N]` → `[N, D]`; differentiable (and
/// forward-differentiable) in t, so the MeanFlow JVP sees the time dependence.
final class TimeEmbedding: Layer {
    static let frequencies = 64
    /// t ∈ [0, 1] is scaled by this before the sin-cos features: high enough to resolve t, low enough
    /// that du/dt (the MeanFlow JVP) stays moderate.
    static let timeScale: Float = 100
    let mlp: FeedForward

    init(dim: Int, rng: inout RandomGenerator) {
        mlp = FeedForward(Self.frequencies, hidden: dim, dim, rng: &rng)
    }

    var children: [(String, any Layer)] { [("mlp", mlp)] }

    func callAsFunction(_ t: Var) -> Var {
        mlp(sinCosEmbedding(t.reshaped([t.value.count]) * Self.timeScale, dim: Self.frequencies))
    }
}

/// Sin-cos frame-position embeddings as constants: for each (b, i) of `frames` (B × T frame
/// indices) the sin-cos embedding of the index of `width` values, placed at `offset` of `total`
/// channels (zeros elsewhere): `[B, T, 1, total]`.
func framePositions(_ frames: [[Int]], width: Int, offset: Int, total: Int) -> Tensor {
    let b = frames.count, t = frames.first?.count ?? 0
    let table = sinCosEmbedding(positions: frames.flatMap { $0.map { Float(max($0, 0)) } }, dim: width)
    if width == total { return table.reshaped([b, t, 1, total]) }
    return Tensor(shape: [b, t, 1, total]) { out in
        out.initialize(repeating: 0)
        for i in 0..<(b * t) {
            for k in 0..<width { out[i * total + offset + k] = table.scalars[i * width + k] }
        }
    }
}
