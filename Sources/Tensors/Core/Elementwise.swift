/// Elementwise kernels on plain tensors: maps with broadcasting, reductions to a broadcast source
/// shape. Closures are inlined into vectorisable loops; large inputs are split over the cores.
/// A per-element function `Float → Float`. Kernels are generic over it, so after specialisation the
/// function is inlined into the loop and the loop vectorises (a closure would be called per element).
public protocol UnaryElementFunction { func callAsFunction(_ x: Float) -> Float }
/// A per-element function of two arguments; see ``UnaryElementFunction``.
public protocol BinaryElementFunction { func callAsFunction(_ a: Float, _ b: Float) -> Float }
/// A per-element function of three arguments; see ``UnaryElementFunction``.
public protocol TernaryElementFunction { func callAsFunction(_ a: Float, _ b: Float, _ c: Float) -> Float }

/// Wraps a closure (convenient, but called per element: for cold paths).
struct ClosureFunction1: UnaryElementFunction {
    let f: (Float) -> Float
    func callAsFunction(_ x: Float) -> Float { f(x) }
}
struct ClosureFunction2: BinaryElementFunction {
    let f: (Float, Float) -> Float
    func callAsFunction(_ a: Float, _ b: Float) -> Float { f(a, b) }
}
struct ClosureFunction3: TernaryElementFunction {
    let f: (Float, Float, Float) -> Float
    func callAsFunction(_ a: Float, _ b: Float, _ c: Float) -> Float { f(a, b, c) }
}

/// Elementwise kernels on plain tensors: maps with broadcasting, reductions to a broadcast source
/// shape. Large inputs are split over the cores.
public enum Elementwise {
    /// `f` applied to every element.
    public static func map<F: UnaryElementFunction>(_ x: Tensor, _ f: F) -> Tensor {
        let n = x.count
        return Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { xs in
                guard let xp = xs.baseAddress, let op = out.baseAddress else { return }
                Parallel.forChunks(n, costPerItem: 2) { r in
                    for i in r { op[i] = f(xp[i]) }
                }
            }
        }
    }

    /// `f` applied to pairs of elements of two same-shaped tensors.
    public static func zip<F: BinaryElementFunction>(_ a: Tensor, _ b: Tensor, _ f: F) -> Tensor {
        requireShape(a.shape == b.shape, "elementwise: shapes \(a.shape) and \(b.shape) differ")
        let n = a.count
        return Tensor(shape: a.shape) { out in
            a.withUnsafeBufferPointer { ab in
                b.withUnsafeBufferPointer { bb in
                    guard let ap = ab.baseAddress, let bp = bb.baseAddress, let op = out.baseAddress else { return }
                    Parallel.forChunks(n, costPerItem: 2) { r in
                        for i in r { op[i] = f(ap[i], bp[i]) }
                    }
                }
            }
        }
    }

    /// `f` applied to triples of elements of three same-shaped tensors.
    public static func zip3<F: TernaryElementFunction>(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: F) -> Tensor {
        requireShape(a.shape == b.shape && a.shape == c.shape, "elementwise: shapes \(a.shape), \(b.shape), \(c.shape) differ")
        let n = a.count
        return Tensor(shape: a.shape) { out in
            a.withUnsafeBufferPointer { ab in
                b.withUnsafeBufferPointer { bb in
                    c.withUnsafeBufferPointer { cb in
                        guard let ap = ab.baseAddress, let bp = bb.baseAddress, let cp = cb.baseAddress, let op = out.baseAddress else { return }
                        Parallel.forChunks(n, costPerItem: 2) { r in
                            for i in r { op[i] = f(ap[i], bp[i], cp[i]) }
                        }
                    }
                }
            }
        }
    }

    /// `f(a, b)` with numpy broadcasting of `a` and `b`.
    public static func broadcast<F: BinaryElementFunction>(_ a: Tensor, _ b: Tensor, _ op: String = "elementwise", _ f: F) -> Tensor {
        if a.shape == b.shape { return zip(a, b, f) }
        guard let shape = broadcastShape(a.shape, b.shape) else {
            fatalError("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        if shape.elementCount == 0 { return Tensor(zeros: shape) }
        let plan = StridedPlan(shape: shape, strides: [broadcastStrides(a.shape, to: shape), broadcastStrides(b.shape, to: shape), broadcastStrides(shape, to: shape)])
        return Tensor(shape: shape) { out in
            a.withUnsafeBufferPointer { ab in
                b.withUnsafeBufferPointer { bb in
                    let ap = ab.baseAddress!, bp = bb.baseAddress!, op = out.baseAddress!
                    let sa = plan.strides[0].last!, sb = plan.strides[1].last!
                    Parallel.forChunks(plan.outerCount, costPerItem: plan.innerCount * 2) { rows in
                        plan.forEachRow(in: rows) { o, n in
                            let x = ap + o[0], y = bp + o[1], z = op + o[2]
                            if sa == 1 && sb == 1 {
                                for i in 0..<n { z[i] = f(x[i], y[i]) }
                            } else if sa == 1 {
                                let yv = y[0]
                                for i in 0..<n { z[i] = f(x[i], yv) }
                            } else if sb == 1 {
                                let xv = x[0]
                                for i in 0..<n { z[i] = f(xv, y[i]) }
                            } else {
                                let v = f(x[0], y[0])
                                for i in 0..<n { z[i] = v }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `f` applied to every element (closure form: for cold paths).
    public static func map(_ x: Tensor, _ f: @escaping (Float) -> Float) -> Tensor { map(x, ClosureFunction1(f: f)) }
    /// `f` on pairs of same-shaped tensors (closure form: for cold paths).
    public static func zip(_ a: Tensor, _ b: Tensor, _ f: @escaping (Float, Float) -> Float) -> Tensor { zip(a, b, ClosureFunction2(f: f)) }
    /// `f` on triples of same-shaped tensors (closure form: for cold paths).
    public static func zip3(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: @escaping (Float, Float, Float) -> Float) -> Tensor {
        zip3(a, b, c, ClosureFunction3(f: f))
    }

    /// Sums `g` over the dimensions along which `shape` was broadcast to `g.shape`: the gradient of a
    /// broadcast. Returns `g` itself when the shapes agree.
    public static func sum(_ g: Tensor, toShape shape: [Int]) -> Tensor {
        if g.shape == shape { return g }
        requireShape(broadcastShape(shape, g.shape) == g.shape, "sum(toShape:): \(shape) does not broadcast to \(g.shape)")
        let plan = StridedPlan(shape: g.shape, strides: [broadcastStrides(g.shape, to: g.shape), broadcastStrides(shape, to: g.shape)])
        var out = Tensor(zeros: shape)
        let so = plan.strides[1].last!
        g.withUnsafeBufferPointer { gb in
            out.withUnsafeMutableBufferPointer { ob in
                let gp = gb.baseAddress!, op = ob.baseAddress!
                plan.forEachRow(in: 0..<plan.outerCount) { o, n in
                    let x = gp + o[0], y = op + o[1]
                    if so == 1 {
                        for i in 0..<n { y[i] += x[i] }
                    } else {
                        y[0] += Vec.sum(x, n)
                    }
                }
            }
        }
        return out
    }

    /// `dst += src` for same-shaped tensors.
    @inline(__always)
    public static func add(_ src: Tensor, into dst: inout Tensor) {
        requireShape(src.shape == dst.shape, "accumulate: shapes \(src.shape) and \(dst.shape) differ")
        let n = src.count
        src.withUnsafeBufferPointer { sb in
            dst.withUnsafeMutableBufferPointer { db in
                let sp = sb.baseAddress!, dp = db.baseAddress!
                Parallel.forChunks(n) { r in
                    for i in r { dp[i] += sp[i] }
                }
            }
        }
    }

    /// True when every element is finite (no NaN, no ±Inf). Vectorised: `x - x` is 0 only for finite x.
    public static func allFinite(_ x: Tensor) -> Bool {
        x.withUnsafeBufferPointer { xb in
            guard let p = xb.baseAddress else { return true }
            return Vec.allFinite(p, xb.count)
        }
    }

    /// Sum of all elements, accumulated in Double.
    public static func sum(_ x: Tensor) -> Double {
        x.withUnsafeBufferPointer { xb in
            // Blocks of Float partial sums keep the loop vectorised; blocks are added in Double.
            var total: Double = 0
            var i = 0
            let n = xb.count
            while i < n {
                let end = min(n, i + 4096)
                total += Double(Vec.sum(xb.baseAddress! + i, end - i))
                i = end
            }
            return total
        }
    }
}
