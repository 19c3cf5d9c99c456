/// Strides of a tensor broadcast to the rank-4 shape `target` (left-padded with 1s; 0 on broadcast dims).
private func strides4(_ shape: [Int], to target: [Int], _ what: String) -> [Int] {
    requireShape(shape.count <= 4, "attention: \(what) has rank \(shape.count) > 4")
    let padded = [Int](repeating: 1, count: 4 - shape.count) + shape
    for i in 0..<4 {
        requireShape(padded[i] == target[i] || padded[i] == 1,
                     "attention: \(what) shape \(shape) does not broadcast to \(target)")
    }
    return broadcastStrides(padded, to: target)
}

/// Fused scaled dot-product attention, per (batch, head):
/// `softmax(scale · Q·Kᵀ + bias + mask) · V`.
///
/// - `q: [B, H, Tq, Dh]`, `k: [B, H, Tk, Dh]`, `v: [B, H, Tk, Dh]` → `[B, H, Tq, Dh]`.
/// - `bias`: differentiable additive logits bias broadcastable to `[B, H, Tq, Tk]` (e.g. a per-key
///   bias `[B, H, 1, Tk]`); its gradient is summed over the broadcast dimensions.
/// - `mask`: constant additive mask (0 or `-inf`, see ``AttentionMask``) broadcastable to
///   `[B, 1, Tq, Tk]`. A query whose keys are all masked yields zeros (never NaN).
///
/// Backward and JVP cover q, k, v and bias. The (B·H) problems run on all cores with
/// single-threaded sgemm each; the attention weights are kept for backward and JVP.
public func attention(q: Var, k: Var, v: Var, scale: Float, bias: Var? = nil, mask: Tensor? = nil) -> Var {
    let (qs, ks, vs) = (q.shape, k.shape, v.shape)
    requireShape(qs.count == 4 && ks.count == 4 && vs.count == 4, "attention: q, k, v must be [B, H, T, Dh], got \(qs), \(ks), \(vs)")
    let (b, h, tq, dh) = (qs[0], qs[1], qs[2], qs[3])
    let tk = ks[2]
    requireShape(ks == [b, h, tk, dh] && vs == [b, h, tk, dh], "attention: k \(ks) and v \(vs) must be [\(b), \(h), Tk, \(dh)] to match q \(qs)")
    let logitsShape = [b, h, tq, tk]
    let biasStrides = bias.map { strides4($0.shape, to: logitsShape, "bias") }
    let maskStrides = mask.map { strides4($0.shape, to: [b, 1, tq, tk], "mask") }
    let count = b * h
    let (qStride, kStride, sStride) = (tq * dh, tk * dh, tq * tk)

    // P = softmax(scale·QKᵀ + bias + mask), O = P·V
    var probs = Tensor(shape: logitsShape) { _ in }
    var out = Tensor(shape: [b, h, tq, dh]) { _ in }
    if count > 0 && tq > 0 {
        withPointers(q.value, k.value, v.value) { qp, kp, vp in
            withOptionalPointer(bias?.value) { bp in
                withOptionalPointer(mask) { mp in
                    probs.withUnsafeMutableBufferPointer { pb in
                        out.withUnsafeMutableBufferPointer { ob in
                            let pp = pb.baseAddress!, op = ob.baseAddress!
                            Parallel.forEach(count) { i in
                                let (bi, hi) = (i / h, i % h)
                                let s = pp + i * sStride
                                if tk == 0 {
                                    (op + i * qStride).initialize(repeating: 0, count: qStride)
                                    return
                                }
                                BLAS.gemm(transposeB: true, m: tq, n: tk, k: dh, alpha: scale,
                                          a: qp + i * qStride, b: kp + i * kStride, c: s)
                                if let bp, let st = biasStrides {
                                    let base = bp + bi * st[0] + hi * st[1]
                                    for r in 0..<tq {
                                        let row = s + r * tk, br = base + r * st[2]
                                        if st[3] == 1 { for j in 0..<tk { row[j] += br[j] } } else { for j in 0..<tk { row[j] += br[0] } }
                                    }
                                }
                                if let mp, let st = maskStrides {
                                    let base = mp + bi * st[0]
                                    for r in 0..<tq {
                                        let row = s + r * tk, mr = base + r * st[2]
                                        if st[3] == 1 { for j in 0..<tk { row[j] += mr[j] } } else { for j in 0..<tk { row[j] += mr[0] } }
                                    }
                                }
                                for r in 0..<tq { RowKernels.softmax(s + r * tk, s + r * tk, tk) }
                                BLAS.gemm(m: tq, n: dh, k: tk, a: s, b: vp + i * kStride, c: op + i * qStride)
                            }
                        }
                    }
                }
            }
        }
    }
    let p = probs

    /// dP·… helper: `ds ← P ⊙ (ds − rowsum(P ⊙ ds))` in place, for one (b, h).
    func softmaxJacobianInPlace(_ pp: UnsafePointer<Float>, _ ds: UnsafeMutablePointer<Float>) {
        for r in 0..<tq { RowKernels.softmaxJacobian(pp + r * tk, UnsafePointer(ds + r * tk), ds + r * tk, tk) }
    }

    // Tangent: dS = scale·(dQ·Kᵀ + Q·dKᵀ) + dBias; dP = P ⊙ (dS − rowsum(P⊙dS)); dO = dP·V + P·dV.
    var tangent: Tensor?
    if (q.tangent != nil || k.tangent != nil || v.tangent != nil || bias?.tangent != nil) && count > 0 && tq > 0 && tk > 0 {
        let dBias = bias?.tangent
        let (dq, dk, dv) = (q.tangent, k.tangent, v.tangent)
        var dOut = Tensor(shape: [b, h, tq, dh]) { _ in }
        var dLogits = Tensor(shape: logitsShape) { _ in }
        withPointers(q.value, k.value, v.value) { qp, kp, vp in
            p.withUnsafeBufferPointer { pb in
                let pp = pb.baseAddress!
                withOptionalPointer(dq) { dqp in
                    withOptionalPointer(dk) { dkp in
                        withOptionalPointer(dv) { dvp in
                            withOptionalPointer(dBias) { dbp in
                                dLogits.withUnsafeMutableBufferPointer { dsb in
                                    dOut.withUnsafeMutableBufferPointer { dob in
                                        let dsp = dsb.baseAddress!, dop = dob.baseAddress!
                                        Parallel.forEach(count) { i in
                                            let (bi, hi) = (i / h, i % h)
                                            let ds = dsp + i * sStride, pi = pp + i * sStride
                                            var beta: Float = 0
                                            if let dqp {
                                                BLAS.gemm(transposeB: true, m: tq, n: tk, k: dh, alpha: scale, a: dqp + i * qStride, b: kp + i * kStride, c: ds)
                                                beta = 1
                                            }
                                            if let dkp {
                                                BLAS.gemm(transposeB: true, m: tq, n: tk, k: dh, alpha: scale, a: qp + i * qStride, b: dkp + i * kStride, beta: beta, c: ds)
                                                beta = 1
                                            }
                                            if beta == 0 { ds.initialize(repeating: 0, count: sStride) }
                                            if let dbp, let st = biasStrides {
                                                let base = dbp + bi * st[0] + hi * st[1]
                                                for r in 0..<tq {
                                                    let row = ds + r * tk, br = base + r * st[2]
                                                    for j in 0..<tk { row[j] += br[j * st[3]] }
                                                }
                                            }
                                            softmaxJacobianInPlace(pi, ds)
                                            BLAS.gemm(m: tq, n: dh, k: tk, a: ds, b: vp + i * kStride, c: dop + i * qStride)
                                            if let dvp {
                                                BLAS.gemm(m: tq, n: dh, k: tk, a: pi, b: dvp + i * kStride, beta: 1, c: dop + i * qStride)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        tangent = dOut
    } else if q.tangent != nil || k.tangent != nil || v.tangent != nil || bias?.tangent != nil {
        tangent = Tensor(zeros: out.shape)
    }

    var inputs = [q, k, v]
    if let bias { inputs.append(bias) }
    let (qv, kv, vv) = (q.value, k.value, v.value)
    let biasShape = bias?.shape
    return Var.result("attention", out, tangent: tangent, inputs: inputs) { g in
        // dV = Pᵀ·gO; dP = gO·Vᵀ; dS = P ⊙ (dP − rowsum(P⊙dP)); dQ = scale·dS·K; dK = scale·dSᵀ·Q.
        var gq = Tensor(zeros: qs), gk = Tensor(zeros: ks), gv = Tensor(zeros: vs)
        var gs = Tensor(shape: logitsShape) { _ in }
        if count > 0 && tq > 0 && tk > 0 {
            withPointers(qv, kv, vv) { qp, kp, vp in
                withPointers(p, g) { pp, gp in
                    gq.withUnsafeMutableBufferPointer { gqb in
                        gk.withUnsafeMutableBufferPointer { gkb in
                            gv.withUnsafeMutableBufferPointer { gvb in
                                gs.withUnsafeMutableBufferPointer { gsb in
                                    let (gqp, gkp, gvp, gsp) = (gqb.baseAddress!, gkb.baseAddress!, gvb.baseAddress!, gsb.baseAddress!)
                                    Parallel.forEach(count) { i in
                                        let pi = pp + i * sStride, ds = gsp + i * sStride, go = gp + i * qStride
                                        BLAS.gemm(transposeA: true, m: tk, n: dh, k: tq, a: pi, b: go, c: gvp + i * kStride)
                                        BLAS.gemm(transposeB: true, m: tq, n: tk, k: dh, a: go, b: vp + i * kStride, c: ds)
                                        softmaxJacobianInPlace(pi, ds)
                                        BLAS.gemm(m: tq, n: dh, k: tk, alpha: scale, a: ds, b: kp + i * kStride, c: gqp + i * qStride)
                                        BLAS.gemm(transposeA: true, m: tk, n: dh, k: tq, alpha: scale, a: ds, b: qp + i * qStride, c: gkp + i * kStride)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } else {
            gs = Tensor(zeros: logitsShape)
        }
        var grads: [Tensor?] = [gq, gk, gv]
        if let biasShape, let bias {
            grads.append(bias.requiresGrad ? Elementwise.sum(gs, toShape: [Int](repeating: 1, count: 4 - biasShape.count) + biasShape).reshaped(biasShape) : nil)
        }
        return grads
    }
}

// MARK: - Pointer helpers (keep the kernels above readable)

@inline(__always)
func withPointers<R>(_ a: Tensor, _ b: Tensor, _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
    a.withUnsafeBufferPointer { ab in b.withUnsafeBufferPointer { bb in body(ab.baseAddress ?? dummyPointer, bb.baseAddress ?? dummyPointer) } }
}

@inline(__always)
func withPointers<R>(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
    a.withUnsafeBufferPointer { ab in
        b.withUnsafeBufferPointer { bb in
            c.withUnsafeBufferPointer { cb in
                body(ab.baseAddress ?? dummyPointer, bb.baseAddress ?? dummyPointer, cb.baseAddress ?? dummyPointer)
            }
        }
    }
}

@inline(__always)
func withOptionalPointer<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.withUnsafeBufferPointer { body($0.baseAddress ?? dummyPointer) }
}

/// A valid address for empty tensors (never dereferenced: every loop over them is empty).
nonisolated(unsafe) let dummyPointer: UnsafePointer<Float> = {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
}()
