// Differentiable elementwise arithmetic with numpy broadcasting.
// Gradients of broadcast operands are summed over the broadcast dimensions.

/// The tangent of a broadcast operand, expanded to the output shape (nil stays nil).
@inline(__always)
func expandedTangent(_ x: Var, to shape: [Int]) -> Tensor? { x.tangent.map { $0.expanded(to: shape) } }

/// Sum of optional tangents, treating nil as zero.
@inline(__always)
func addTangents(_ a: Tensor?, _ b: Tensor?) -> Tensor? {
    switch (a, b) {
    case let (a?, b?): return a + b
    case let (a?, nil): return a
    case let (nil, b?): return b
    default: return nil
    }
}

/// `a + b` with broadcasting.
public func + (a: Var, b: Var) -> Var {
    let y = a.value + b.value
    let t = addTangents(expandedTangent(a, to: y.shape), expandedTangent(b, to: y.shape))
    let (sa, sb) = (a.shape, b.shape)
    return Var.result("add", y, tangent: t, inputs: [a, b]) { [ra = a.requiresGrad, rb = b.requiresGrad] g in
        [ra ? Elementwise.sum(g, toShape: sa) : nil, rb ? Elementwise.sum(g, toShape: sb) : nil]
    }
}

/// `a - b` with broadcasting.
public func - (a: Var, b: Var) -> Var {
    let y = a.value - b.value
    let t = addTangents(expandedTangent(a, to: y.shape), expandedTangent(b, to: y.shape).map { -$0 })
    let (sa, sb) = (a.shape, b.shape)
    return Var.result("sub", y, tangent: t, inputs: [a, b]) { [ra = a.requiresGrad, rb = b.requiresGrad] g in
        [ra ? Elementwise.sum(g, toShape: sa) : nil, rb ? Elementwise.sum(-g, toShape: sb) : nil]
    }
}

/// `a * b` (elementwise) with broadcasting.
public func * (a: Var, b: Var) -> Var {
    let (av, bv) = (a.value, b.value)
    let y = av * bv
    let t = addTangents(a.tangent.map { $0 * bv }, b.tangent.map { av * $0 }).map { $0.expanded(to: y.shape) }
    return Var.result("mul", y, tangent: t, inputs: [a, b]) { [ra = a.requiresGrad, rb = b.requiresGrad] g in
        [ra ? Elementwise.sum(g * bv, toShape: av.shape) : nil, rb ? Elementwise.sum(g * av, toShape: bv.shape) : nil]
    }
}

/// `a / b` (elementwise) with broadcasting.
public func / (a: Var, b: Var) -> Var {
    let (av, bv) = (a.value, b.value)
    let y = av / bv
    // d(a/b) = da/b - (a/b)·db/b
    let t = addTangents(a.tangent.map { $0 / bv }, b.tangent.map { -(y * $0) / bv }).map { $0.expanded(to: y.shape) }
    return Var.result("div", y, tangent: t, inputs: [a, b]) { [ra = a.requiresGrad, rb = b.requiresGrad] g in
        let gb = g / bv
        return [ra ? Elementwise.sum(gb, toShape: av.shape) : nil, rb ? Elementwise.sum(-(gb * y), toShape: bv.shape) : nil]
    }
}

/// `-x`.
public prefix func - (x: Var) -> Var { x * -1 }

/// `x * s` for a constant `s`.
public func * (x: Var, s: Float) -> Var {
    Var.result("scale", x.value * s, tangent: x.tangent.map { $0 * s }, inputs: [x]) { g in [g * s] }
}

/// `s * x` for a constant `s`.
public func * (s: Float, x: Var) -> Var { x * s }

/// `x / s` for a constant `s`.
public func / (x: Var, s: Float) -> Var { x * (1 / s) }

/// `x + s` for a constant `s`.
public func + (x: Var, s: Float) -> Var {
    Var.result("shift", x.value + s, tangent: x.tangent, inputs: [x]) { g in [g] }
}

/// `s + x` for a constant `s`.
public func + (s: Float, x: Var) -> Var { x + s }

/// `x - s` for a constant `s`.
public func - (x: Var, s: Float) -> Var { x + (-s) }

/// `s - x` for a constant `s`.
public func - (s: Float, x: Var) -> Var {
    Var.result("rsub", Elementwise.map(x.value, AffineFunction(a: -1, b: s)), tangent: x.tangent.map { -$0 }, inputs: [x]) { g in [-g] }
}

/// `x` with its gradient and tangent cut: a constant with the same value (JAX's `stop_gradient`).
public func stopGradient(_ x: Var) -> Var {
    Var(op: "stopGradient", value: x.value, tangent: nil, graph: x.graph, requiresGrad: false)
}

extension Var {
    /// This node's value as a constant (no gradient, no tangent); see ``stopGradient(_:)``.
    public func detached() -> Var { stopGradient(self) }
}
