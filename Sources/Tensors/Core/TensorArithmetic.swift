// Broadcasting arithmetic on plain tensors (no autodiff): the building blocks of op kernels,
// and handy for preparing data.

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor { Elementwise.broadcast(a, b, "+") { $0 + $1 } }
    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor { Elementwise.broadcast(a, b, "-") { $0 - $1 } }
    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor { Elementwise.broadcast(a, b, "*") { $0 * $1 } }
    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor { Elementwise.broadcast(a, b, "/") { $0 / $1 } }
    /// Every element times `s`.
    public static func * (a: Tensor, s: Float) -> Tensor { Elementwise.map(a) { $0 * s } }
    /// Every element times `s`.
    public static func * (s: Float, a: Tensor) -> Tensor { Elementwise.map(a) { $0 * s } }
    /// Every element plus `s`.
    public static func + (a: Tensor, s: Float) -> Tensor { Elementwise.map(a) { $0 + s } }
    /// Every element minus `s`.
    public static func - (a: Tensor, s: Float) -> Tensor { Elementwise.map(a) { $0 - s } }
    /// Negation.
    public static prefix func - (a: Tensor) -> Tensor { Elementwise.map(a) { -$0 } }

    /// `self` repeated along broadcast dimensions to `shape`.
    public func expanded(to shape: [Int]) -> Tensor {
        if self.shape == shape { return self }
        requireShape(broadcastShape(self.shape, shape) == shape, "expanded(to:): \(self.shape) does not broadcast to \(shape)")
        return Elementwise.broadcast(self, Tensor(zeros: shape)) { x, _ in x }
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
