extension Tensor {
    /// The dimensions reordered: result dimension `i` is input dimension `order[i]` (a copy).
    public func permuted(_ order: [Int]) -> Tensor {
        requireShape(order.sorted() == Array(0..<rank), "permute: \(order) is not a permutation of 0..<\(rank)")
        if order == Array(0..<rank) { return self }
        let outShape = order.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let plan = StridedPlan(shape: outShape, strides: [broadcastStrides(outShape, to: outShape), order.map { inStrides[$0] }])
        let src = self
        return Tensor(shape: outShape) { out in
            src.withUnsafeBufferPointer { xb in
                guard let xp = xb.baseAddress, let op = out.baseAddress else { return }
                let s = plan.strides[1].last!
                Parallel.forChunks(plan.outerCount, costPerItem: plan.innerCount) { rows in
                    plan.forEachRow(in: rows) { o, n in
                        let z = op + o[0], x = xp + o[1]
                        if s == 1 { z.update(from: x, count: n) } else { for i in 0..<n { z[i] = x[i * s] } }
                    }
                }
            }
        }
    }

    /// Elements `range` along `axis` (a copy).
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = normalizedAxis(axis, rank: rank, "slice")
        requireShape(range.lowerBound >= 0 && range.upperBound <= shape[axis], "slice: range \(range) out of bounds for axis \(axis) of \(shape)")
        let (outer, n, inner) = splitAround(shape, axis: axis)
        var outShape = shape
        outShape[axis] = range.count
        let block = range.count * inner
        return Tensor(shape: outShape) { out in
            withUnsafeBufferPointer { xb in
                guard let xp = xb.baseAddress, let op = out.baseAddress, block > 0 else { return }
                for o in 0..<outer { (op + o * block).update(from: xp + (o * n + range.lowerBound) * inner, count: block) }
            }
        }
    }

    /// Tensors joined along `axis`; all other dimensions must agree.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        requireShape(!parts.isEmpty, "concat: no tensors given")
        let first = parts[0].shape
        let axis = normalizedAxis(axis, rank: first.count, "concat")
        for p in parts {
            var a = p.shape, b = first
            requireShape(a.count == b.count, "concat: ranks differ: \(p.shape) vs \(first)")
            a[axis] = 0; b[axis] = 0
            requireShape(a == b, "concat: shapes \(p.shape) and \(first) differ outside axis \(axis)")
        }
        var outShape = first
        outShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let (outer, total, inner) = splitAround(outShape, axis: axis)
        return Tensor(shape: outShape) { out in
            guard let op = out.baseAddress else { return }
            var offset = 0
            for p in parts {
                let block = p.shape[axis] * inner
                p.withUnsafeBufferPointer { pb in
                    guard let pp = pb.baseAddress, block > 0 else { return }
                    for o in 0..<outer { (op + o * total * inner + offset).update(from: pp + o * block, count: block) }
                }
                offset += block
            }
        }
    }
}

/// The same values under a new shape (one dimension may be `-1`).
public func reshape(_ x: Var, _ shape: [Int]) -> Var {
    let old = x.shape
    return Var.result("reshape", x.value.reshaped(shape), tangent: x.tangent.map { $0.reshaped(shape) }, inputs: [x]) { g in
        [g.reshaped(old)]
    }
}

extension Var {
    /// See ``reshape(_:_:)``.
    public func reshaped(_ shape: [Int]) -> Var { reshape(self, shape) }
}

/// Reorders dimensions: result dimension `i` is input dimension `order[i]`.
/// E.g. `[B, T, H, Dh]` with `[0, 2, 1, 3]` → `[B, H, T, Dh]`.
public func permute(_ x: Var, _ order: [Int]) -> Var {
    var inverse = [Int](repeating: 0, count: order.count)
    for (i, o) in order.enumerated() where o >= 0 && o < order.count { inverse[o] = i }
    return Var.result("permute", x.value.permuted(order), tangent: x.tangent.map { $0.permuted(order) }, inputs: [x]) { g in
        [g.permuted(inverse)]
    }
}

/// Swaps two dimensions.
public func transpose(_ x: Var, _ a: Int, _ b: Int) -> Var {
    var order = Array(0..<x.shape.count)
    let (a, b) = (normalizedAxis(a, rank: order.count, "transpose"), normalizedAxis(b, rank: order.count, "transpose"))
    order.swapAt(a, b)
    return permute(x, order)
}

/// Elements `range` along `axis`.
public func slice(_ x: Var, axis: Int, _ range: Range<Int>) -> Var {
    let shape = x.shape
    let a = normalizedAxis(axis, rank: shape.count, "slice")
    return Var.result("slice", x.value.slice(axis: a, range), tangent: x.tangent.map { $0.slice(axis: a, range) }, inputs: [x]) { g in
        // Scatter the gradient back into zeros of the input shape.
        if range.count == shape[a] { return [g] }
        let (outer, n, inner) = splitAround(shape, axis: a)
        let block = range.count * inner
        var gx = Tensor(zeros: shape)
        g.withUnsafeBufferPointer { gb in
            gx.withUnsafeMutableBufferPointer { xb in
                guard let gp = gb.baseAddress, let xp = xb.baseAddress, block > 0 else { return }
                for o in 0..<outer { (xp + (o * n + range.lowerBound) * inner).update(from: gp + o * block, count: block) }
            }
        }
        return [gx]
    }
}

/// Joins `parts` along `axis`.
public func concat(_ parts: [Var], axis: Int) -> Var {
    requireShape(!parts.isEmpty, "concat: no inputs")
    let a = normalizedAxis(axis, rank: parts[0].shape.count, "concat")
    let y = Tensor.concat(parts.map(\.value), axis: a)
    var t: Tensor?
    if parts.contains(where: { $0.tangent != nil }) {
        t = Tensor.concat(parts.map { $0.tangent ?? Tensor(zeros: $0.shape) }, axis: a)
    }
    let sizes = parts.map { $0.shape[a] }
    return Var.result("concat", y, tangent: t, inputs: parts) { g in
        var offset = 0
        return zip(parts, sizes).map { p, n in
            defer { offset += n }
            return p.requiresGrad ? g.slice(axis: a, offset..<(offset + n)) : nil
        }
    }
}

/// Splits `x` along `axis` into pieces of the given sizes (which must add up to the dimension).
public func split(_ x: Var, axis: Int, sizes: [Int]) -> [Var] {
    let a = normalizedAxis(axis, rank: x.shape.count, "split")
    requireShape(sizes.reduce(0, +) == x.shape[a], "split: sizes \(sizes) do not add up to \(x.shape[a]) (axis \(a) of \(x.shape))")
    var offset = 0
    return sizes.map { n in
        defer { offset += n }
        return slice(x, axis: a, offset..<(offset + n))
    }
}

/// `x` repeated along broadcast dimensions to `shape` (gradient: summed back).
public func broadcast(_ x: Var, to shape: [Int]) -> Var {
    let old = x.shape
    return Var.result("broadcast", x.value.expanded(to: shape), tangent: x.tangent.map { $0.expanded(to: shape) }, inputs: [x]) { g in
        [Elementwise.sum(g, toShape: old)]
    }
}

extension Tensor {
    /// Entries `indices` along `axis` (repeats allowed): `[..., n, ...]` → `[..., indices.count, ...]`.
    public func gathering(axis: Int, indices: [Int]) -> Tensor {
        let axis = normalizedAxis(axis, rank: rank, "gather")
        let (outer, n, inner) = splitAround(shape, axis: axis)
        for i in indices { requireShape(i >= 0 && i < n, "gather: index \(i) out of range 0..<\(n) on axis \(axis) of \(shape)") }
        var outShape = shape
        outShape[axis] = indices.count
        return Tensor(shape: outShape) { out in
            withUnsafeBufferPointer { xb in
                guard let xp = xb.baseAddress, let op = out.baseAddress, inner > 0 else { return }
                for o in 0..<outer {
                    for (j, i) in indices.enumerated() {
                        (op + (o * indices.count + j) * inner).update(from: xp + (o * n + i) * inner, count: inner)
                    }
                }
            }
        }
    }
}

/// Entries `indices` along `axis` (e.g. the joints of one body part from all joint tokens).
/// The gradient is scattered back and summed over repeated indices.
public func gather(_ x: Var, axis: Int, indices: [Int]) -> Var {
    let shape = x.shape
    let a = normalizedAxis(axis, rank: shape.count, "gather")
    return Var.result("gather", x.value.gathering(axis: a, indices: indices),
                      tangent: x.tangent.map { $0.gathering(axis: a, indices: indices) }, inputs: [x]) { g in
        let (outer, n, inner) = splitAround(shape, axis: a)
        var gx = Tensor(zeros: shape)
        g.withUnsafeBufferPointer { gb in
            gx.withUnsafeMutableBufferPointer { xb in
                guard let gp = gb.baseAddress, let xp = xb.baseAddress, inner > 0 else { return }
                for o in 0..<outer {
                    for (j, i) in indices.enumerated() {
                        let src = gp + (o * indices.count + j) * inner, dst = xp + (o * n + i) * inner
                        for e in 0..<inner { dst[e] += src[e] }
                    }
                }
            }
        }
        return [gx]
    }
}
