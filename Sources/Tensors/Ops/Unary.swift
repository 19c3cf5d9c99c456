#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A differentiable elementwise function from its value `f(x)` and derivative `df(x, y)` (y = f(x)).
@inline(__always)
func unaryOp(_ op: String, _ x: Var, _ f: (Float) -> Float, derivative df: @escaping (Float, Float) -> Float) -> Var {
    let xv = x.value
    let y = Elementwise.map(xv, f)
    let t = x.tangent.map { tx in Elementwise.zip3(xv, y, tx) { a, b, c in c * df(a, b) } }
    return Var.result(op, y, tangent: t, inputs: [x]) { g in
        [Elementwise.zip3(xv, y, g) { a, b, c in c * df(a, b) }]
    }
}

/// `eˣ` elementwise.
public func exp(_ x: Var) -> Var { unaryOp("exp", x, { Fast.exp($0) }, derivative: { _, y in y }) }

/// Natural logarithm elementwise.
public func log(_ x: Var) -> Var { unaryOp("log", x, { logf($0) }, derivative: { x, _ in 1 / x }) }

/// Square root elementwise.
public func sqrt(_ x: Var) -> Var { unaryOp("sqrt", x, { sqrtf($0) }, derivative: { _, y in 0.5 / y }) }

/// `x²` elementwise.
public func square(_ x: Var) -> Var { unaryOp("square", x, { $0 * $0 }, derivative: { x, _ in 2 * x }) }

/// `|x|` elementwise (derivative `sign(x)`, 0 at 0).
public func abs(_ x: Var) -> Var {
    unaryOp("abs", x, { Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
}

/// Hyperbolic tangent elementwise.
public func tanh(_ x: Var) -> Var { unaryOp("tanh", x, { Fast.tanh($0) }, derivative: { _, y in 1 - y * y }) }

/// Logistic sigmoid `1 / (1 + e⁻ˣ)` elementwise.
public func sigmoid(_ x: Var) -> Var { unaryOp("sigmoid", x, { Fast.sigmoid($0) }, derivative: { _, y in y * (1 - y) }) }

/// `max(x, 0)` elementwise.
public func relu(_ x: Var) -> Var { unaryOp("relu", x, { Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 }) }

/// SiLU (swish) `x · sigmoid(x)` elementwise.
public func silu(_ x: Var) -> Var {
    unaryOp("silu", x, { $0 * Fast.sigmoid($0) }, derivative: { x, _ in
        let s = Fast.sigmoid(x)
        return s * (1 + x * (1 - s))
    })
}

/// GELU with the tanh approximation: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
public func gelu(_ x: Var) -> Var {
    unaryOp("gelu", x, { Fast.gelu($0) }, derivative: { x, _ in Fast.geluDerivative(x) })
}

/// Vectorisable approximations of transcendental functions (relative error about 1e-7 for exp):
/// libm calls would keep the hot loops scalar.
public enum Fast {
    /// `eˣ`, by range reduction `x = k·ln2 + r` and a degree-6 polynomial; clamps to avoid overflow.
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.0)
        let k = (clamped * 1.442695041).rounded(.toNearestOrEven)
        let r = clamped - k * 0.693145752 - k * 1.42860677e-6
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let bits = UInt32(bitPattern: Int32(k) &+ 127) << 23
        // Below the clamp the true value underflows: return exactly 0 (masked softmax logits are -inf).
        return x < -87.3 ? 0 : p * Float(bitPattern: bits)
    }

    /// Hyperbolic tangent via `1 - 2 / (e^{2x} + 1)` (exact limits ±1; small |x| handled by a series).
    @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let e = exp(2 * x)
        let t = 1 - 2 / (e + 1)
        // For |x| < 0.004 the subtraction loses digits; x - x³/3 is exact to float precision there.
        let series = x - x * x * x * (1.0 / 3)
        return Swift.abs(x) < 0.004 ? series : t
    }

    /// `1 / (1 + e⁻ˣ)`.
    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    static let geluC: Float = 0.7978845608 // √(2/π)

    /// GELU (tanh approximation).
    @inline(__always)
    public static func gelu(_ x: Float) -> Float {
        let u = geluC * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1 + tanh(u))
    }

    /// d GELU / dx (tanh approximation).
    @inline(__always)
    public static func geluDerivative(_ x: Float) -> Float {
        let u = geluC * (x + 0.044715 * x * x * x)
        let t = tanh(u)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * geluC * (1 + 3 * 0.044715 * x * x)
    }
}
