#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A differentiable elementwise function from its value `f(x)` and derivative `df(x, y)` (y = f(x)).
/// Generic so both loops are specialised and vectorised.
func unaryOp<F: UnaryElementFunction, D: BinaryElementFunction>(_ op: String, _ x: Var, _ f: F, derivative df: D) -> Var {
    let xv = x.value
    let y = Elementwise.map(xv, f)
    let chain = ChainRule(derivative: df)
    let t = x.tangent.map { tx in Elementwise.zip3(xv, y, tx, chain) }
    return Var.result(op, y, tangent: t, inputs: [x]) { g in [Elementwise.zip3(xv, y, g, chain)] }
}

private struct ExpF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { Fast.exp(x) } }
private struct OutputD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { y } }
private struct LogF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { logf(x) } }
private struct ReciprocalD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { 1 / x } }
private struct SqrtF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { x.squareRoot() } }
private struct SqrtD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { 0.5 / y } }
private struct SquareF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { x * x } }
private struct SquareD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { 2 * x } }
private struct AbsF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { Swift.abs(x) } }
private struct SignD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) } }
private struct TanhF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { Fast.tanh(x) } }
private struct TanhD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { 1 - y * y } }
private struct SigmoidF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { Fast.sigmoid(x) } }
private struct SigmoidD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { y * (1 - y) } }
private struct ReluF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { Swift.max(x, 0) } }
private struct StepD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : 0 } }
private struct SiluF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { x * Fast.sigmoid(x) } }
private struct SiluD: BinaryElementFunction {
    func callAsFunction(_ x: Float, _ y: Float) -> Float {
        let s = Fast.sigmoid(x)
        return s * (1 + x * (1 - s))
    }
}
private struct GeluF: UnaryElementFunction { func callAsFunction(_ x: Float) -> Float { Fast.gelu(x) } }
private struct GeluD: BinaryElementFunction { func callAsFunction(_ x: Float, _ y: Float) -> Float { Fast.geluDerivative(x) } }

/// `eˣ` elementwise.
public func exp(_ x: Var) -> Var { unaryOp("exp", x, ExpF(), derivative: OutputD()) }

/// Natural logarithm elementwise.
public func log(_ x: Var) -> Var { unaryOp("log", x, LogF(), derivative: ReciprocalD()) }

/// Square root elementwise.
public func sqrt(_ x: Var) -> Var { unaryOp("sqrt", x, SqrtF(), derivative: SqrtD()) }

/// `x²` elementwise.
public func square(_ x: Var) -> Var { unaryOp("square", x, SquareF(), derivative: SquareD()) }

/// `|x|` elementwise (derivative `sign(x)`, 0 at 0).
public func abs(_ x: Var) -> Var { unaryOp("abs", x, AbsF(), derivative: SignD()) }

/// Hyperbolic tangent elementwise.
public func tanh(_ x: Var) -> Var { unaryOp("tanh", x, TanhF(), derivative: TanhD()) }

/// Logistic sigmoid `1 / (1 + e⁻ˣ)` elementwise.
public func sigmoid(_ x: Var) -> Var { unaryOp("sigmoid", x, SigmoidF(), derivative: SigmoidD()) }

/// `max(x, 0)` elementwise.
public func relu(_ x: Var) -> Var { unaryOp("relu", x, ReluF(), derivative: StepD()) }

/// SiLU (swish) `x · sigmoid(x)` elementwise.
public func silu(_ x: Var) -> Var { unaryOp("silu", x, SiluF(), derivative: SiluD()) }

/// GELU with the tanh approximation: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
public func gelu(_ x: Var) -> Var { unaryOp("gelu", x, GeluF(), derivative: GeluD()) }

/// Vectorisable approximations of transcendental functions (exp within ~2 ulp):
/// libm calls would keep the hot loops scalar.
public enum Fast {
    /// `eˣ`, by range reduction `x = k·ln2 + r` and a degree-6 polynomial. Exactly 0 below −87.3
    /// (so masked `-inf` logits vanish); clamped at 88 above.
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.0)
        // Round to nearest by adding and removing 1.5·2²³ (no libm call, so the loop vectorises).
        let shifter: Float = 12_582_912
        let k = (clamped * 1.442695041 + shifter) - shifter
        let r = clamped - k * 0.693145752 - k * 1.42860677e-6
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let bits = UInt32(bitPattern: Int32(k) &+ 127) << 23
        return x < -87.3 ? 0 : p * Float(bitPattern: bits)
    }

    /// Hyperbolic tangent via `1 - 2 / (e^{2x} + 1)`, with the series `x − x³/3` near 0.
    @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let e = exp(2 * x)
        let t = 1 - 2 / (e + 1)
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
