/// Mean squared error over the entries where `mask` is nonzero, weighted by `mask`:
/// `Σ m·(p − t)² / Σ m`, with `mask` broadcastable to `prediction`'s shape (e.g. `[N, J, 1]` for
/// missing joints). Returns 0 when the mask is all zero. `target` may be a constant
/// (``stopGradient(_:)``) or differentiable. A `normalizer` replaces the divisor `Σ m` (a part of
/// a batch divides by the whole batch's, so the parts' losses add up to the batch's).
public func maskedMSE(_ prediction: Var, _ target: Var, mask: Tensor, normalizer: Float? = nil) -> Var {
    requireShape(prediction.shape == target.shape, "maskedMSE: prediction \(prediction.shape) and target \(target.shape) differ")
    let m = mask.expanded(to: prediction.shape)
    let total = normalizer ?? m.sum()
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
