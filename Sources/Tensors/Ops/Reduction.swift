/// Views `shape` as `[outer, n, inner]` around `axis`.
func splitAround(_ shape: [Int], axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].elementCount, shape[axis], shape[(axis + 1)...].elementCount)
}

/// Normalises a possibly negative axis.
func normalizedAxis(_ axis: Int, rank: Int, _ op: String) -> Int {
    let a = axis < 0 ? axis + rank : axis
    requireShape(a >= 0 && a < rank, "\(op): axis \(axis) out of range for rank \(rank)")
    return a
}

extension Tensor {
    /// Sum along `axis` (the axis is removed, or kept as 1 with `keepingDimension`).
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let axis = normalizedAxis(axis, rank: rank, "sum")
        let (outer, n, inner) = splitAround(shape, axis: axis)
        var outShape = shape
        if keepingDimension { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        var out = Tensor(zeros: outShape)
        withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in
                guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                if outer >= 2 * Parallel.workerCount || inner < 64 {
                    Parallel.forChunks(outer, costPerItem: n * inner) { rows in
                        for o in rows {
                            let dst = op + o * inner
                            for j in 0..<n {
                                let src = xp + (o * n + j) * inner
                                for i in 0..<inner { dst[i] += src[i] }
                            }
                        }
                    }
                } else {
                    // Few outer blocks (e.g. a bias gradient [N, D] → [D]): split the columns instead.
                    for o in 0..<outer {
                        Parallel.forChunks(inner, costPerItem: n) { columns in
                            let dst = op + o * inner
                            for j in 0..<n {
                                let src = xp + (o * n + j) * inner
                                for i in columns { dst[i] += src[i] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Sum of all elements: a scalar `[]`.
public func sum(_ x: Var) -> Var {
    let shape = x.shape
    return Var.result("sum", Tensor(x.value.sum()), tangent: x.tangent.map { Tensor($0.sum()) }, inputs: [x]) { g in
        [Tensor(repeating: g.scalars[0], shape: shape)]
    }
}

/// Mean of all elements: a scalar `[]` (0 for an empty tensor).
public func mean(_ x: Var) -> Var {
    sum(x) * (1 / Float(Swift.max(x.value.count, 1)))
}

/// Sum along `axis` (negative counts from the end); the axis is removed unless `keepingDimension`.
public func sum(_ x: Var, alongAxis axis: Int, keepingDimension: Bool = false) -> Var {
    let shape = x.shape
    let a = normalizedAxis(axis, rank: shape.count, "sum")
    var kept = shape
    kept[a] = 1
    return Var.result("sum", x.value.sum(alongAxis: a, keepingDimension: keepingDimension),
                      tangent: x.tangent.map { $0.sum(alongAxis: a, keepingDimension: keepingDimension) }, inputs: [x]) { g in
        [g.reshaped(kept).expanded(to: shape)]
    }
}

/// Mean along `axis`; the axis is removed unless `keepingDimension`.
public func mean(_ x: Var, alongAxis axis: Int, keepingDimension: Bool = false) -> Var {
    let a = normalizedAxis(axis, rank: x.shape.count, "mean")
    return sum(x, alongAxis: a, keepingDimension: keepingDimension) * (1 / Float(Swift.max(x.shape[a], 1)))
}
