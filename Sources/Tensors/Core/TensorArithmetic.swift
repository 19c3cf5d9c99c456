// Broadcasting arithmetic on plain tensors (no autodiff): the building blocks of op kernels,
// and handy for preparing data.

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor { Elementwise.broadcast(a, b, "+", AddFunction()) }
    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor { Elementwise.broadcast(a, b, "-", SubtractFunction()) }
    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor { Elementwise.broadcast(a, b, "*", MultiplyFunction()) }
    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor { Elementwise.broadcast(a, b, "/", DivideFunction()) }
    /// Every element times `s`.
    public static func * (a: Tensor, s: Float) -> Tensor { Elementwise.map(a, AffineFunction(a: s, b: 0)) }
    /// Every element times `s`.
    public static func * (s: Float, a: Tensor) -> Tensor { Elementwise.map(a, AffineFunction(a: s, b: 0)) }
    /// Every element plus `s`.
    public static func + (a: Tensor, s: Float) -> Tensor { Elementwise.map(a, AffineFunction(a: 1, b: s)) }
    /// Every element minus `s`.
    public static func - (a: Tensor, s: Float) -> Tensor { Elementwise.map(a, AffineFunction(a: 1, b: -s)) }
    /// Negation.
    public static prefix func - (a: Tensor) -> Tensor { Elementwise.map(a, AffineFunction(a: -1, b: 0)) }

    /// `self` repeated along broadcast dimensions to `shape`.
    public func expanded(to shape: [Int]) -> Tensor {
        if self.shape == shape { return self }
        requireShape(broadcastShape(self.shape, shape) == shape, "expanded(to:): \(self.shape) does not broadcast to \(shape)")
        return Elementwise.broadcast(self, Tensor(zeros: shape), "expand", FirstFunction())
    }

    /// Sum of all elements (accumulated in Double).
    public func sum() -> Float { Float(Elementwise.sum(self)) }

    /// Largest absolute element (0 for an empty tensor).
    public func maxAbs() -> Float {
        withUnsafeBufferPointer { b in b.reduce(0) { Swift.max($0, Swift.abs($1)) } }
    }

    /// Whether no element is NaN or ±Inf.
    public var isFinite: Bool { Elementwise.allFinite(self) }
}
