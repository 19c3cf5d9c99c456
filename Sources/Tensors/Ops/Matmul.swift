/// Matrix products on plain tensors.
extension Tensor {
    /// `op(a) · op(b)` over matching leading (batch) dimensions; either operand may be rank 2 and
    /// then is shared by every batch element. `a: [..., M, K]` (`[..., K, M]` if `transposeA`),
    /// `b: [..., K, N]` (`[..., N, K]` if `transposeB`) → `[..., M, N]`.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        requireShape(a.rank >= 2 && b.rank >= 2, "matmul: operands need rank ≥ 2, got \(a.shape) and \(b.shape)")
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        requireShape(batchA == batchB || batchA.isEmpty || batchB.isEmpty,
                     "matmul: batch dimensions \(batchA) and \(batchB) differ (one operand may be rank 2)")
        let batch = batchA.isEmpty ? batchB : batchA
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeB ? (bc, br) : (br, bc)
        requireShape(k == k2, "matmul: inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let count = batch.elementCount
        var out = Tensor(shape: batch + [m, n]) { _ in }
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                out.withUnsafeMutableBufferPointer { ob in
                    guard let ap = ab.baseAddress, let bp = bb.baseAddress, let op = ob.baseAddress else {
                        ob.initialize(repeating: 0)
                        return
                    }
                    if batchB.isEmpty && !transposeA {
                        // Shared right operand: one product over all rows.
                        BLAS.gemm(transposeB: transposeB, m: count * m, n: n, k: k, a: ap, b: bp, c: op)
                    } else {
                        BLAS.gemmBatched(count: count, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                         a: ap, strideA: batchA.isEmpty ? 0 : m * k, b: bp, strideB: batchB.isEmpty ? 0 : k * n,
                                         c: op, strideC: m * n)
                    }
                }
            }
        }
        return out
    }
}

/// Matrix product `op(a) · op(b)`: `a: [..., M, K]`, `b: [..., K, N]` → `[..., M, N]`, with
/// `transposeA`/`transposeB` reading an operand as transposed. Leading dimensions must match,
/// or one operand is rank 2 and shared (e.g. `x: [B, T, D] · w: [D, E]`).
public func matmul(_ a: Var, _ b: Var, transposeA: Bool = false, transposeB: Bool = false) -> Var {
    let (av, bv) = (a.value, b.value)
    let y = Tensor.matmul(av, bv, transposeA: transposeA, transposeB: transposeB)
    let t = addTangents(a.tangent.map { Tensor.matmul($0, bv, transposeA: transposeA, transposeB: transposeB) },
                        b.tangent.map { Tensor.matmul(av, $0, transposeA: transposeA, transposeB: transposeB) })
    return Var.result("matmul", y, tangent: t, inputs: [a, b]) { [ra = a.requiresGrad, rb = b.requiresGrad] g in
        var ga: Tensor?, gb: Tensor?
        if ra {
            switch (transposeA, transposeB) {
            case (false, false): ga = .matmul(g, bv, transposeB: true)
            case (false, true): ga = .matmul(g, bv)
            case (true, false): ga = .matmul(bv, g, transposeB: true)
            case (true, true): ga = .matmul(bv, g, transposeA: true, transposeB: true)
            }
            ga = sumSharedBatch(ga!, to: av.shape)
        }
        if rb {
            if bv.rank == 2 && av.rank > 2 && !transposeA {
                // Shared right operand: fold the batch into rows so one product sums over it.
                let a2 = av.reshaped([-1, av.shape.last!]), g2 = g.reshaped([-1, g.shape.last!])
                gb = transposeB ? .matmul(g2, a2, transposeA: true) : .matmul(a2, g2, transposeA: true)
            } else {
                switch (transposeA, transposeB) {
                case (false, false): gb = .matmul(av, g, transposeA: true)
                case (false, true): gb = .matmul(g, av, transposeA: true)
                case (true, false): gb = .matmul(av, g)
                case (true, true): gb = .matmul(g, av, transposeA: true, transposeB: true)
                }
                gb = sumSharedBatch(gb!, to: bv.shape)
            }
        }
        return [ga, gb]
    }
}

/// Sums a batched gradient `[..., r, c]` over its batch when the operand was a shared `[r, c]`.
func sumSharedBatch(_ g: Tensor, to shape: [Int]) -> Tensor {
    if g.shape == shape { return g }
    return g.reshaped([-1, shape.elementCount]).sum(alongAxis: 0).reshaped(shape)
}

/// Affine map of rows, as PyTorch's `nn.Linear`: `y = x · weightᵀ + bias`.
/// `x: [..., In]`, `weight: [Out, In]`, `bias: [Out]` (optional) → `[..., Out]`. One sgemm; the
/// bias is written first and accumulated into (β = 1). In a graph whose ``Graph/matmulPrecision``
/// is `bf16`, the products (value, tangents, gradients) of ``BFloat16Products/minimumRows`` rows or
/// more take bfloat16 operands.
public func linear(_ x: Var, weight: Var, bias: Var? = nil) -> Var {
    let (xv, wv) = (x.value, weight.value)
    requireShape(wv.rank == 2, "linear: weight must be [Out, In], got \(wv.shape)")
    let (outDim, inDim) = (wv.shape[0], wv.shape[1])
    requireShape(xv.shape.last == inDim, "linear: input \(xv.shape) does not end in \(inDim) (weight \(wv.shape))")
    if let bias { requireShape(bias.shape == [outDim], "linear: bias shape \(bias.shape) must be [\(outDim)]") }
    let rows = inDim == 0 ? xv.count : xv.count / inDim
    let outShape = Array(xv.shape.dropLast()) + [outDim]

    // A parameter's value is packed once per value and reused (inference runs the same weights
    // frame after frame); its tangent and other operands are read in place.
    let path = KernelPath.current
    let bfloat16 = (x.graph ?? weight.graph)?.matmulPrecision == .bf16 && rows >= BFloat16Products.minimumRows
    let packed = bfloat16 ? nil : (weight as? Parameter).flatMap { parameter in
        RowTimesTransposed.usesPacked(on: path, m: rows, k: inDim) ? parameter.packed(for: path) : nil
    }

    func affine(_ input: Tensor, _ w: Tensor, _ b: Tensor?, packed: PackedWeight? = nil) -> Tensor {
        Tensor(shape: outShape) { out in
            guard let op = out.baseAddress else { return }
            if let b {
                b.withUnsafeBufferPointer { bb in
                    for r in 0..<rows { (op + r * outDim).update(from: bb.baseAddress!, count: outDim) }
                }
            } else if inDim == 0 {
                out.initialize(repeating: 0)
            }
            input.withUnsafeBufferPointer { ib in
                if bfloat16, inDim > 0 {
                    w.withUnsafeBufferPointer { wb in
                        BFloat16Products.gemm(transposeB: true, m: rows, n: outDim, k: inDim, a: ib.baseAddress!,
                                              b: wb.baseAddress!, accumulate: b != nil, c: op)
                    }
                    return
                }
                if let packed, let ip = ib.baseAddress {
                    RowTimesTransposed.product(m: rows, k: inDim, x: ip, ldx: inDim, packed: packed, accumulate: b != nil, y: op, ldy: outDim)
                    return
                }
                w.withUnsafeBufferPointer { wb in
                    guard let ip = ib.baseAddress, let wp = wb.baseAddress else { return }
                    BLAS.gemm(transposeB: true, m: rows, n: outDim, k: inDim, a: ip, b: wp, beta: b == nil ? 0 : 1, c: op)
                }
            }
        }
    }

    let y = affine(xv, wv, bias?.value, packed: packed)
    var t: Tensor?
    if let tx = x.tangent { t = affine(tx, wv, bias?.tangent, packed: packed) }
    else if let tb = bias?.tangent { t = tb.expanded(to: outShape) }
    if let tw = weight.tangent { t = addTangents(t, affine(xv, tw, nil)) }
    var inputs = [x, weight]
    if let bias { inputs.append(bias) }
    // One product of rows × outDim × inDim multiply-adds for the value, one per tangent term, one per gradient.
    let product = 2 * Double(rows) * Double(outDim) * Double(inDim)
    let products = (forward: 1 + (x.tangent == nil ? 0 : 1) + (weight.tangent == nil ? 0 : 1),
                    backward: (x.requiresGrad ? 1 : 0) + (weight.requiresGrad ? 1 : 0))
    return Var.result("linear", y, tangent: t, inputs: inputs,
                      flops: (Double(products.forward) * product, Double(products.backward) * product)) { g in
        let g2 = g.reshaped([rows, outDim]), x2 = xv.reshaped([rows, inDim])
        func product(_ a: Tensor, _ b: Tensor, transposeA: Bool = false) -> Tensor {
            bfloat16 ? bfloat16Product(a, b, transposeA: transposeA) : .matmul(a, b, transposeA: transposeA)
        }
        var grads: [Tensor?] = [
            x.requiresGrad ? product(g2, wv).reshaped(xv.shape) : nil,
            weight.requiresGrad ? product(g2, x2, transposeA: true) : nil,
        ]
        if let bias { grads.append(bias.requiresGrad ? g2.sum(alongAxis: 0) : nil) }
        return grads
    }
}

/// `op(a) · b` of two rank-2 tensors with bfloat16 operands (a linear layer's gradients).
private func bfloat16Product(_ a: Tensor, _ b: Tensor, transposeA: Bool) -> Tensor {
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let n = b.shape[1]
    return Tensor(shape: [m, n]) { out in
        guard let op = out.baseAddress else { return }
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                guard let ap = ab.baseAddress, let bp = bb.baseAddress else {
                    out.initialize(repeating: 0)
                    return
                }
                BFloat16Products.gemm(transposeA: transposeA, m: m, n: n, k: k, a: ap, b: bp, accumulate: false, c: op)
            }
        }
    }
}
