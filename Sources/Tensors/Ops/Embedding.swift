#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rows of `table: [V, D]` picked by `ids` → `[ids.count, D]`. The gradient is scattered back
/// (summed over repeated ids). `graph` records the op when `table` is a ``Parameter``.
public func embedding(_ table: Var, ids: [Int], graph: Graph? = nil) -> Var {
    requireShape(table.shape.count == 2, "embedding: table must be [V, D], got \(table.shape)")
    let (v, d) = (table.shape[0], table.shape[1])
    for id in ids { requireShape(id >= 0 && id < v, "embedding: id \(id) out of range 0..<\(v)") }
    func gather(_ t: Tensor) -> Tensor {
        Tensor(shape: [ids.count, d]) { out in
            t.withUnsafeBufferPointer { tb in
                guard let tp = tb.baseAddress, let op = out.baseAddress else { return }
                for (r, id) in ids.enumerated() { (op + r * d).update(from: tp + id * d, count: d) }
            }
        }
    }
    return Var.result("embedding", gather(table.value), tangent: table.tangent.map(gather), inputs: [table], graph: graph) { g in
        var gt = Tensor(zeros: [v, d])
        g.withUnsafeBufferPointer { gb in
            gt.withUnsafeMutableBufferPointer { tb in
                guard let gp = gb.baseAddress, let tp = tb.baseAddress else { return }
                for (r, id) in ids.enumerated() {
                    let src = gp + r * d, dst = tp + id * d
                    for i in 0..<d { dst[i] += src[i] }
                }
            }
        }
        return [gt]
    }
}

/// Mean squared error over the entries where `mask` is nonzero, weighted by `mask`:
/// `Σ m·(p − t)² / Σ m`, with `mask` broadcastable to `prediction`'s shape (e.g. `[N, J, 1]` for
/// missing joints). Returns 0 when the mask is all zero. `target` may be a constant
/// (``stopGradient(_:)``) or differentiable.
public func maskedMSE(_ prediction: Var, _ target: Var, mask: Tensor) -> Var {
    requireShape(prediction.shape == target.shape, "maskedMSE: prediction \(prediction.shape) and target \(target.shape) differ")
    let m = mask.expanded(to: prediction.shape)
    let total = m.sum()
    let scale: Float = total > 0 ? 1 / total : 0
    let diff = prediction.value - target.value
    let loss = Tensor(Float(Elementwise.sum(Elementwise.zip(diff, m) { $0 * $0 * $1 })) * scale)
    var t: Tensor?
    if prediction.tangent != nil || target.tangent != nil {
        let dd = addTangents(prediction.tangent, target.tangent.map { -$0 })!
        t = Tensor(2 * scale * Float(Elementwise.sum(Elementwise.zip3(diff, dd, m) { $0 * $1 * $2 })))
    }
    return Var.result("maskedMSE", loss, tangent: t, inputs: [prediction, target]) { g in
        let gp = Elementwise.zip(diff, m) { $0 * $1 * 2 * scale * g.scalars[0] }
        return [prediction.requiresGrad ? gp : nil, target.requiresGrad ? -gp : nil]
    }
}

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
