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
/// single-threaded sgemm each; the attention weights P are kept for backward and JVP.
public func attention(q: Var, k: Var, v: Var, scale: Float, bias: Var? = nil, mask: Tensor? = nil) -> Var {
    let shape = AttentionShape(q: q.shape, k: k.shape, v: v.shape)
    let biasStrides = bias.map { shape.strides(of: $0.shape, to: shape.logits, "bias") }
    let maskStrides = mask.map { shape.strides(of: $0.shape, to: [shape.batch, 1, shape.queries, shape.keys], "mask") }
    let forward = AttentionForward(shape: shape, scale: scale, biasStrides: biasStrides, maskStrides: maskStrides)
    let (out, probabilities) = forward.run(q: q.value, k: k.value, v: v.value, bias: bias?.value, mask: mask)
    var tangent: Tensor?
    if q.tangent != nil || k.tangent != nil || v.tangent != nil || bias?.tangent != nil {
        tangent = forward.tangent(q: q.value, k: k.value, v: v.value, probabilities: probabilities,
                                  dq: q.tangent, dk: k.tangent, dv: v.tangent, dBias: bias?.tangent)
    }
    var inputs = [q, k, v]
    if let bias { inputs.append(bias) }
    let (qv, kv, vv) = (q.value, k.value, v.value)
    return Var.result("attention", out, tangent: tangent, inputs: inputs) { gradient in
        var grads = forward.backward(gradient, q: qv, k: kv, v: vv, probabilities: probabilities)
        let logitsGradient = grads.removeLast()
        if let bias { grads.append(bias.requiresGrad ? forward.biasGradient(logitsGradient, biasShape: bias.shape) : nil) }
        return grads
    }
}

/// The sizes of one attention call: B·H independent problems of Tq queries against Tk keys, Dh
/// wide, each a contiguous block of its tensor.
struct AttentionShape {
    let batch, heads, queries, keys, headDim: Int

    /// Checks `q`, `k`, `v` against `[B, H, Tq, Dh]`, `[B, H, Tk, Dh]`, `[B, H, Tk, Dh]`.
    init(q qs: [Int], k ks: [Int], v vs: [Int]) {
        requireShape(qs.count == 4 && ks.count == 4 && vs.count == 4, "attention: q, k, v must be [B, H, T, Dh], got \(qs), \(ks), \(vs)")
        (batch, heads, queries, headDim) = (qs[0], qs[1], qs[2], qs[3])
        keys = ks[2]
        requireShape(ks == [batch, heads, keys, headDim] && vs == [batch, heads, keys, headDim],
                     "attention: k \(ks) and v \(vs) must be [\(batch), \(heads), Tk, \(headDim)] to match q \(qs)")
    }

    var problems: Int { batch * heads }
    /// `[B, H, Tq, Tk]`: the logits and attention weights.
    var logits: [Int] { [batch, heads, queries, keys] }
    var output: [Int] { [batch, heads, queries, headDim] }
    /// Elements per problem in q (and the output), in k and v, and in the logits.
    var queryStride: Int { queries * headDim }
    var keyStride: Int { keys * headDim }
    var logitStride: Int { queries * keys }

    /// Strides of a tensor of `shape` broadcast to the rank-4 `target` (left-padded with 1s; 0 on
    /// broadcast dimensions).
    func strides(of shape: [Int], to target: [Int], _ what: String) -> [Int] {
        requireShape(shape.count <= 4, "attention: \(what) has rank \(shape.count) > 4")
        let padded = [Int](repeating: 1, count: 4 - shape.count) + shape
        for i in 0..<4 {
            requireShape(padded[i] == target[i] || padded[i] == 1, "attention: \(what) shape \(shape) does not broadcast to \(target)")
        }
        return broadcastStrides(padded, to: target)
    }
}

/// One attention call's forward pass, its tangent and its gradients, problem by problem.
struct AttentionForward {
    let shape: AttentionShape
    let scale: Float
    let biasStrides: [Int]?
    let maskStrides: [Int]?

    /// O = P·V with P = softmax(scale·QKᵀ + bias + mask); returns O and P.
    func run(q: Tensor, k: Tensor, v: Tensor, bias: Tensor?, mask: Tensor?) -> (out: Tensor, probabilities: Tensor) {
        var probabilities = Tensor(shape: shape.logits) { _ in }
        var out = Tensor(shape: shape.output) { _ in }
        guard shape.problems > 0 && shape.queries > 0 else { return (out, probabilities) }
        withPointers(q, k, v) { qp, kp, vp in
            withOptionalPointers(bias, mask) { bp, mp in
                withMutablePointers(&probabilities, &out) { pp, op in
                    Parallel.forEach(shape.problems) { i in
                        forwardProblem(i, q: qp, k: kp, v: vp, bias: bp, mask: mp, probabilities: pp, out: op)
                    }
                }
            }
        }
        return (out, probabilities)
    }

    private func forwardProblem(_ i: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                bias: UnsafePointer<Float>?, mask: UnsafePointer<Float>?,
                                probabilities: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let (tq, tk, dh) = (shape.queries, shape.keys, shape.headDim)
        let (bi, hi) = (i / shape.heads, i % shape.heads)
        let s = probabilities + i * shape.logitStride
        guard tk > 0 else {
            (out + i * shape.queryStride).initialize(repeating: 0, count: shape.queryStride)
            return
        }
        BLAS.gemm(transposeB: true, m: tq, n: tk, k: dh, alpha: scale, a: q + i * shape.queryStride, b: k + i * shape.keyStride, c: s)
        if let bias, let st = biasStrides { addRows(bias + bi * st[0] + hi * st[1], rowStride: st[2], columnStride: st[3], to: s) }
        if let mask, let st = maskStrides { addRows(mask + bi * st[0], rowStride: st[2], columnStride: st[3], to: s) }
        for r in 0..<tq { RowKernels.softmax(s + r * tk, s + r * tk, tk) }
        BLAS.gemm(m: tq, n: dh, k: tk, a: s, b: v + i * shape.keyStride, c: out + i * shape.queryStride)
    }

    /// Adds a broadcast `[Tq, Tk]` block (`rowStride`, `columnStride` 0 or 1 along keys) to logits `s`.
    private func addRows(_ source: UnsafePointer<Float>, rowStride: Int, columnStride: Int, to s: UnsafeMutablePointer<Float>) {
        let tk = shape.keys
        for r in 0..<shape.queries {
            let row = s + r * tk, sourceRow = source + r * rowStride
            if columnStride == 1 {
                for j in 0..<tk { row[j] += sourceRow[j] }
            } else {
                for j in 0..<tk { row[j] += sourceRow[j * columnStride] }
            }
        }
    }

    /// `ds ← P ⊙ (ds − rowsum(P ⊙ ds))` in place, for one problem: the softmax's Jacobian.
    private func softmaxJacobian(_ p: UnsafePointer<Float>, _ ds: UnsafeMutablePointer<Float>) {
        let tk = shape.keys
        for r in 0..<shape.queries { RowKernels.softmaxJacobian(p + r * tk, UnsafePointer(ds + r * tk), ds + r * tk, tk) }
    }

    /// The tangent along (dQ, dK, dV, dBias), any of them absent:
    /// dS = scale·(dQ·Kᵀ + Q·dKᵀ) + dBias; dP = P ⊙ (dS − rowsum(P⊙dS)); dO = dP·V + P·dV.
    func tangent(q: Tensor, k: Tensor, v: Tensor, probabilities: Tensor,
                 dq: Tensor?, dk: Tensor?, dv: Tensor?, dBias: Tensor?) -> Tensor {
        guard shape.problems > 0 && shape.queries > 0 && shape.keys > 0 else { return Tensor(zeros: shape.output) }
        var dOut = Tensor(shape: shape.output) { _ in }
        var dLogits = Tensor(shape: shape.logits) { _ in }
        withPointers(q, k, v) { qp, kp, vp in
            probabilities.withUnsafeBufferPointer { pb in
                let pp = pb.baseAddress ?? dummyPointer
                withOptionalPointers(dq, dk) { dqp, dkp in
                    withOptionalPointers(dv, dBias) { dvp, dbp in
                        withMutablePointers(&dLogits, &dOut) { dsp, dop in
                            Parallel.forEach(shape.problems) { i in
                                tangentProblem(i, q: qp, k: kp, v: vp, probabilities: pp, dq: dqp, dk: dkp, dv: dvp, dBias: dbp,
                                               dLogits: dsp, dOut: dop)
                            }
                        }
                    }
                }
            }
        }
        return dOut
    }

    private func tangentProblem(_ i: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                probabilities: UnsafePointer<Float>, dq: UnsafePointer<Float>?, dk: UnsafePointer<Float>?,
                                dv: UnsafePointer<Float>?, dBias: UnsafePointer<Float>?,
                                dLogits: UnsafeMutablePointer<Float>, dOut: UnsafeMutablePointer<Float>) {
        let (tq, tk, dh) = (shape.queries, shape.keys, shape.headDim)
        let (bi, hi) = (i / shape.heads, i % shape.heads)
        let (qi, ki) = (i * shape.queryStride, i * shape.keyStride)
        let ds = dLogits + i * shape.logitStride, p = probabilities + i * shape.logitStride
        var beta: Float = 0
        if let dq {
            BLAS.gemm(transposeB: true, m: tq, n: tk, k: dh, alpha: scale, a: dq + qi, b: k + ki, c: ds)
            beta = 1
        }
        if let dk {
            BLAS.gemm(transposeB: true, m: tq, n: tk, k: dh, alpha: scale, a: q + qi, b: dk + ki, beta: beta, c: ds)
            beta = 1
        }
        if beta == 0 { ds.initialize(repeating: 0, count: shape.logitStride) }
        if let dBias, let st = biasStrides { addRows(dBias + bi * st[0] + hi * st[1], rowStride: st[2], columnStride: st[3], to: ds) }
        softmaxJacobian(p, ds)
        BLAS.gemm(m: tq, n: dh, k: tk, a: ds, b: v + ki, c: dOut + qi)
        if let dv { BLAS.gemm(m: tq, n: dh, k: tk, a: p, b: dv + ki, beta: 1, c: dOut + qi) }
    }

    /// The gradients of q, k, v and, last, of the logits (for the bias) from the output's gradient:
    /// dV = Pᵀ·gO; dP = gO·Vᵀ; dS = P ⊙ (dP − rowsum(P⊙dP)); dQ = scale·dS·K; dK = scale·dSᵀ·Q.
    func backward(_ gradient: Tensor, q: Tensor, k: Tensor, v: Tensor, probabilities: Tensor) -> [Tensor?] {
        var gq = Tensor(zeros: q.shape), gk = Tensor(zeros: k.shape), gv = Tensor(zeros: v.shape)
        guard shape.problems > 0 && shape.queries > 0 && shape.keys > 0 else { return [gq, gk, gv, Tensor(zeros: shape.logits)] }
        var gs = Tensor(shape: shape.logits) { _ in }
        withPointers(q, k, v) { qp, kp, vp in
            withPointers(probabilities, gradient) { pp, gp in
                withMutablePointers(&gq, &gk) { gqp, gkp in
                    withMutablePointers(&gv, &gs) { gvp, gsp in
                        Parallel.forEach(shape.problems) { i in
                            backwardProblem(i, q: qp, k: kp, v: vp, probabilities: pp, gradient: gp, gq: gqp, gk: gkp, gv: gvp, gs: gsp)
                        }
                    }
                }
            }
        }
        return [gq, gk, gv, gs]
    }

    private func backwardProblem(_ i: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                 probabilities: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
                                 gq: UnsafeMutablePointer<Float>, gk: UnsafeMutablePointer<Float>,
                                 gv: UnsafeMutablePointer<Float>, gs: UnsafeMutablePointer<Float>) {
        let (tq, tk, dh) = (shape.queries, shape.keys, shape.headDim)
        let (qi, ki) = (i * shape.queryStride, i * shape.keyStride)
        let p = probabilities + i * shape.logitStride, ds = gs + i * shape.logitStride, go = gradient + qi
        BLAS.gemm(transposeA: true, m: tk, n: dh, k: tq, a: p, b: go, c: gv + ki)
        BLAS.gemm(transposeB: true, m: tq, n: tk, k: dh, a: go, b: v + ki, c: ds)
        softmaxJacobian(p, ds)
        BLAS.gemm(m: tq, n: dh, k: tk, alpha: scale, a: ds, b: k + ki, c: gq + qi)
        BLAS.gemm(transposeA: true, m: tk, n: dh, k: tq, alpha: scale, a: ds, b: q + qi, c: gk + ki)
    }

    /// The bias's gradient: the logits' gradient summed over the dimensions the bias broadcasts along.
    func biasGradient(_ logitsGradient: Tensor?, biasShape: [Int]) -> Tensor? {
        guard let logitsGradient else { return nil }
        return Elementwise.sum(logitsGradient, toShape: [Int](repeating: 1, count: 4 - biasShape.count) + biasShape).reshaped(biasShape)
    }
}
