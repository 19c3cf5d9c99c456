#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row kernels over the last axis of a tensor viewed as `[rows, n]`.
enum RowKernels {
    /// Softmax of each row (`-inf` entries get 0; a row of all `-inf` becomes zeros).
    static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                        on path: KernelPath = .current) {
        if path != .portable {
            if !path.softmax(x, y, count: n) { for i in 0..<n { y[i] = 0 } }
            return
        }
        let m = Vec.max(x, n)
        if m == -.infinity {
            for i in 0..<n { y[i] = 0 }
            return
        }
        for i in 0..<n { y[i] = Fast.exp(x[i] - m) }
        let inv = 1 / Vec.sum(UnsafePointer(y), n)
        for i in 0..<n { y[i] *= inv }
    }

    /// `out = y ⊙ (v - Σ y·v)`: the softmax Jacobian applied to `v` (tangent and gradient alike).
    static func softmaxJacobian(_ y: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        let d = Vec.dot(y, v, n)
        for i in 0..<n { out[i] = y[i] * (v[i] - d) }
    }
}

/// Applies `body(row)` to every row of a `[rows, n]` view, split over the cores.
@inline(__always)
func forEachRow(_ rows: Int, cost n: Int, _ body: (Int) -> Void) {
    Parallel.forChunks(rows, costPerItem: n * 4) { r in for i in r { body(i) } }
}

/// Softmax over the last axis: `y_i = e^{x_i} / Σ_j e^{x_j}`. Rows of all `-inf` give zeros.
public func softmax(_ x: Var) -> Var {
    let n = x.shape.last ?? 1
    let rows = n == 0 ? 0 : x.value.count / n
    let y = Tensor(shape: x.shape) { out in
        x.value.withUnsafeBufferPointer { xb in
            let xp = xb.baseAddress!, yp = out.baseAddress!
            forEachRow(rows, cost: n) { r in RowKernels.softmax(xp + r * n, yp + r * n, n) }
        }
    }
    func jacobian(_ v: Tensor) -> Tensor {
        Tensor(shape: y.shape) { out in
            y.withUnsafeBufferPointer { yb in
                v.withUnsafeBufferPointer { vb in
                    let yp = yb.baseAddress!, vp = vb.baseAddress!, op = out.baseAddress!
                    forEachRow(rows, cost: n) { r in RowKernels.softmaxJacobian(yp + r * n, vp + r * n, op + r * n, n) }
                }
            }
        }
    }
    return Var.result("softmax", y, tangent: x.tangent.map(jacobian), inputs: [x]) { g in [jacobian(g)] }
}

/// RMSNorm over the last axis: `y = x / √(mean(x²) + ε) · weight`. `x: [..., D]`, `weight: [D]` (optional).
public func rmsNorm(_ x: Var, weight: Var? = nil, epsilon: Float = 1e-6) -> Var {
    let d = x.shape.last ?? 1
    let rows = d == 0 ? 0 : x.value.count / d
    if let weight { requireShape(weight.shape == [d], "rmsNorm: weight shape \(weight.shape) must be [\(d)]") }
    var inverseRMS = [Float](repeating: 0, count: rows)
    // normalised n = x · r
    let normalized = Tensor(shape: x.shape) { out in
        x.value.withUnsafeBufferPointer { xb in
            inverseRMS.withUnsafeMutableBufferPointer { rb in
                let xp = xb.baseAddress!, op = out.baseAddress!, rp = rb.baseAddress!
                forEachRow(rows, cost: d) { r in
                    let row = xp + r * d
                    let inv = 1 / sqrtf(Vec.dot(row, row, d) / Float(d) + epsilon)
                    rp[r] = inv
                    for i in 0..<d { op[r * d + i] = row[i] * inv }
                }
            }
        }
    }
    // dn = r · (v - n · mean(n·v)) : the Jacobian of the normalisation applied to v.
    let invRMS = inverseRMS
    func normJacobian(_ v: Tensor) -> Tensor {
        Tensor(shape: normalized.shape) { out in
            normalized.withUnsafeBufferPointer { nb in
                v.withUnsafeBufferPointer { vb in
                    invRMS.withUnsafeBufferPointer { rb in
                        let np = nb.baseAddress!, vp = vb.baseAddress!, op = out.baseAddress!, rp = rb.baseAddress!
                        forEachRow(rows, cost: d) { r in
                            let nr = np + r * d, vr = vp + r * d, o = op + r * d
                            let m = Vec.dot(nr, vr, d) / Float(d)
                            let inv = rp[r]
                            for i in 0..<d { o[i] = inv * (vr[i] - nr[i] * m) }
                        }
                    }
                }
            }
        }
    }
    guard let weight else {
        return Var.result("rmsNorm", normalized, tangent: x.tangent.map(normJacobian), inputs: [x]) { g in [normJacobian(g)] }
    }
    let w = weight.value
    let y = normalized * w
    let t = addTangents(x.tangent.map { normJacobian($0) * w }, weight.tangent.map { normalized * $0 })
    return Var.result("rmsNorm", y, tangent: t, inputs: [x, weight]) { [rx = x.requiresGrad, rw = weight.requiresGrad] g in
        [rx ? normJacobian(g * w) : nil, rw ? (g * normalized).sumRows(d) : nil]
    }
}

/// LayerNorm over the last axis: `y = (x - mean) / √(var + ε) · weight + bias`.
/// `x: [..., D]`, `weight: [D]` and `bias: [D]` optional (adaLN uses neither).
public func layerNorm(_ x: Var, weight: Var? = nil, bias: Var? = nil, epsilon: Float = 1e-5) -> Var {
    let d = x.shape.last ?? 1
    let rows = d == 0 ? 0 : x.value.count / d
    if let weight { requireShape(weight.shape == [d], "layerNorm: weight shape \(weight.shape) must be [\(d)]") }
    if let bias { requireShape(bias.shape == [d], "layerNorm: bias shape \(bias.shape) must be [\(d)]") }
    var inverseStd = [Float](repeating: 0, count: rows)
    let normalized = Tensor(shape: x.shape) { out in
        x.value.withUnsafeBufferPointer { xb in
            inverseStd.withUnsafeMutableBufferPointer { rb in
                let xp = xb.baseAddress!, op = out.baseAddress!, rp = rb.baseAddress!
                forEachRow(rows, cost: d) { r in
                    let row = xp + r * d
                    let mu = Vec.sum(row, d) / Float(d)
                    let inv = 1 / sqrtf(Vec.sumSquaredDeviations(row, d, from: mu) / Float(d) + epsilon)
                    rp[r] = inv
                    for i in 0..<d { op[r * d + i] = (row[i] - mu) * inv }
                }
            }
        }
    }
    // dn = r · (v - mean(v) - n · mean(n·v))
    let invStd = inverseStd
    func normJacobian(_ v: Tensor) -> Tensor {
        Tensor(shape: normalized.shape) { out in
            normalized.withUnsafeBufferPointer { nb in
                v.withUnsafeBufferPointer { vb in
                    invStd.withUnsafeBufferPointer { rb in
                        let np = nb.baseAddress!, vp = vb.baseAddress!, op = out.baseAddress!, rp = rb.baseAddress!
                        forEachRow(rows, cost: d) { r in
                            let nr = np + r * d, vr = vp + r * d, o = op + r * d
                            let mv = Vec.sum(vr, d) / Float(d)
                            let m = Vec.dot(nr, vr, d) / Float(d)
                            let inv = rp[r]
                            for i in 0..<d { o[i] = inv * (vr[i] - mv - nr[i] * m) }
                        }
                    }
                }
            }
        }
    }
    var y = normalized
    if let weight { y = y * weight.value }
    if let bias { y = y + bias.value }
    var t = x.tangent.map { tx in weight.map { normJacobian(tx) * $0.value } ?? normJacobian(tx) }
    if let tw = weight?.tangent { t = addTangents(t, normalized * tw) }
    if let tb = bias?.tangent { t = addTangents(t, tb.expanded(to: y.shape)) }
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    let w = weight?.value
    return Var.result("layerNorm", y, tangent: t, inputs: inputs) { g in
        var grads: [Tensor?] = [x.requiresGrad ? normJacobian(w.map { g * $0 } ?? g) : nil]
        if let weight { grads.append(weight.requiresGrad ? (g * normalized).sumRows(d) : nil) }
        if let bias { grads.append(bias.requiresGrad ? g.sumRows(d) : nil) }
        return grads
    }
}

extension Tensor {
    /// Sum of the rows of this tensor viewed as `[rows, d]`: shape `[d]`.
    func sumRows(_ d: Int) -> Tensor {
        reshaped([-1, d]).sum(alongAxis: 0)
    }

}
