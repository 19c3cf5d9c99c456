/// `y = x · weightᵀ + bias` on the last axis. `weight: [Out, In]`, `bias: [Out]` (PyTorch layout).
public final class Linear: Layer {
    /// `[Out, In]`.
    public let weight: Parameter
    /// `[Out]`, if the layer has a bias.
    public let bias: Parameter?

    /// PyTorch's default initialisation: weight and bias uniform in `±1/√In`.
    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true, rng: inout RandomGenerator) {
        let bound = 1 / Float(inputs).squareRoot()
        weight = Parameter(rng.uniform([outputs, inputs], low: -bound, high: bound))
        self.bias = bias ? Parameter(rng.uniform([outputs], low: -bound, high: bound)) : nil
    }

    /// A layer with all-zero weight and bias (e.g. output heads and adaLN gates in DiT-style models).
    public init(zeros inputs: Int, _ outputs: Int, bias: Bool = true) {
        weight = Parameter(Tensor(zeros: [outputs, inputs]))
        self.bias = bias ? Parameter(Tensor(zeros: [outputs])) : nil
    }

    /// A layer with the given values.
    public init(weight: Tensor, bias: Tensor?) {
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
    }

    public var ownParameters: [(String, Parameter)] { [("weight", weight)] + (bias.map { [("bias", $0)] } ?? []) }

    /// `x: [..., In]` → `[..., Out]`.
    public func callAsFunction(_ x: Var) -> Var { linear(x, weight: weight, bias: bias) }
}

/// RMSNorm over the last axis with a learned scale (initialised to 1).
public final class RMSNorm: Layer {
    /// Scale `[D]`.
    public let weight: Parameter
    /// Added to the mean square before the square root.
    public let epsilon: Float
    /// RMSNorm over `dim` features.
    public init(_ dim: Int, epsilon: Float = 1e-6) {
        weight = Parameter(Tensor(repeating: 1, shape: [dim]))
        self.epsilon = epsilon
    }
    public var ownParameters: [(String, Parameter)] { [("weight", weight)] }
    /// `x: [..., D]` → `[..., D]`.
    public func callAsFunction(_ x: Var) -> Var { rmsNorm(x, weight: weight, epsilon: epsilon) }
}

/// LayerNorm over the last axis; with `affine: false` it has no parameters (as in adaLN blocks).
public final class LayerNorm: Layer {
    /// Scale `[D]` (affine only).
    public let weight: Parameter?
    /// Shift `[D]` (affine only).
    public let bias: Parameter?
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// LayerNorm over `dim` features; `affine` adds a learned scale (1) and shift (0).
    public init(_ dim: Int, affine: Bool = true, epsilon: Float = 1e-5) {
        weight = affine ? Parameter(Tensor(repeating: 1, shape: [dim])) : nil
        bias = affine ? Parameter(Tensor(zeros: [dim])) : nil
        self.epsilon = epsilon
    }
    public var ownParameters: [(String, Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }
    /// `x: [..., D]` → `[..., D]`.
    public func callAsFunction(_ x: Var) -> Var { layerNorm(x, weight: weight, bias: bias, epsilon: epsilon) }
}

/// A table of learned vectors: `[count, dim]`, initialised from N(0, 1) as PyTorch does.
public final class Embedding: Layer {
    /// The table `[count, dim]`.
    public let weight: Parameter
    /// `count` vectors of `dim` features.
    public init(_ count: Int, _ dim: Int, rng: inout RandomGenerator) {
        weight = Parameter(rng.normal([count, dim]))
    }
    public var ownParameters: [(String, Parameter)] { [("weight", weight)] }
    /// Rows for `ids` → `[ids.count, dim]`, recorded on `graph`.
    public func callAsFunction(_ ids: [Int], graph: Graph) -> Var { embedding(weight, ids: ids, graph: graph) }
}
