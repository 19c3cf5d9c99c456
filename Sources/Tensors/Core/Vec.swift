/// Row kernels with explicit SIMD accumulators: Swift does not reassociate float sums, so a plain
/// `s += x[i]` loop would stay scalar.
enum Vec {
    typealias V = SIMD16<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    /// Σ p[i].
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(), i = 0
        while i + 16 <= n { acc += load(p + i); i += 16 }
        var s = acc.sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    /// Σ a[i]·b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(), i = 0
        while i + 16 <= n { acc += load(a + i) * load(b + i); i += 16 }
        var s = acc.sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Σ a[i]·b[i]·c[i].
    @inline(__always)
    static func dot3(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(), i = 0
        while i + 16 <= n { acc += load(a + i) * load(b + i) * load(c + i); i += 16 }
        var s = acc.sum()
        while i < n { s += a[i] * b[i] * c[i]; i += 1 }
        return s
    }

    /// max p[i] (-inf for n = 0).
    @inline(__always)
    static func max(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(repeating: -.infinity), i = 0
        while i + 16 <= n { acc = pointwiseMax(acc, load(p + i)); i += 16 }
        var m = acc.max()
        while i < n { m = Swift.max(m, p[i]); i += 1 }
        return m
    }

    /// Σ (p[i] - v)² .
    @inline(__always)
    static func sumSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, from v: Float) -> Float {
        var acc = V(), i = 0
        let vv = V(repeating: v)
        while i + 16 <= n { let d = load(p + i) - vv; acc += d * d; i += 16 }
        var s = acc.sum()
        while i < n { let d = p[i] - v; s += d * d; i += 1 }
        return s
    }

    /// True when all n values are finite.
    @inline(__always)
    static func allFinite(_ p: UnsafePointer<Float>, _ n: Int) -> Bool {
        var acc = V(), i = 0
        while i + 16 <= n { let x = load(p + i); acc += x - x; i += 16 }
        var s = acc.sum()
        while i < n { s += p[i] - p[i]; i += 1 }
        return s == 0
    }
}
