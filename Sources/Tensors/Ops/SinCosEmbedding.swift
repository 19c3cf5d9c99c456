#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sinusoidal embeddings (as in transformers and DiT): for each value `p` and frequency
/// `f_k = maxPeriod^(−k/half)`, `k < half = dim/2`, the row is `[sin(p·f_k)…, cos(p·f_k)…]`.
/// `positions: [N]` (or `[N, 1]`) → `[N, dim]`. Differentiable in the positions (e.g. the flow time t,
/// whose tangent MeanFlow seeds). `dim` must be even.
public func sinCosEmbedding(_ positions: Var, dim: Int, maxPeriod: Float = 10_000) -> Var {
    requireShape(dim > 0 && dim % 2 == 0, "sinCosEmbedding: dim must be even and positive, got \(dim)")
    let n = positions.value.count
    requireShape(positions.shape == [n] || positions.shape == [n, 1], "sinCosEmbedding: positions must be [N] or [N, 1], got \(positions.shape)")
    let half = dim / 2
    let freqs = (0..<half).map { expf(-logf(maxPeriod) * Float($0) / Float(half)) }
    let p = positions.value.scalars
    let y = Tensor(shape: [n, dim]) { out in
        for r in 0..<n {
            for k in 0..<half {
                let a = p[r] * freqs[k]
                out[r * dim + k] = sinf(a)
                out[r * dim + half + k] = cosf(a)
            }
        }
    }
    // dy/dp = [f·cos, −f·sin] = [f · y_cos, −f · y_sin]
    let dydp = Tensor(shape: [n, dim]) { out in
        for r in 0..<n {
            for k in 0..<half {
                out[r * dim + k] = freqs[k] * y.scalars[r * dim + half + k]
                out[r * dim + half + k] = -freqs[k] * y.scalars[r * dim + k]
            }
        }
    }
    let t = positions.tangent.map { dydp * $0.reshaped([n, 1]) }
    let shape = positions.shape
    return Var.result("sinCosEmbedding", y, tangent: t, inputs: [positions]) { g in
        [(g * dydp).sum(alongAxis: 1).reshaped(shape)]
    }
}

/// Sinusoidal embeddings of constant positions (see ``sinCosEmbedding(_:dim:maxPeriod:)``): `[N, dim]`.
public func sinCosEmbedding(positions: [Float], dim: Int, maxPeriod: Float = 10_000) -> Tensor {
    sinCosEmbedding(Graph(recording: false).constant(Tensor(shape: [positions.count], scalars: positions)), dim: dim, maxPeriod: maxPeriod).value
}
