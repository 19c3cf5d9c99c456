// Element functions for the generic kernels in Elementwise (see UnaryElementFunction).

struct AddFunction: BinaryElementFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
struct SubtractFunction: BinaryElementFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
struct MultiplyFunction: BinaryElementFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
struct DivideFunction: BinaryElementFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }
struct FirstFunction: BinaryElementFunction { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a } }

/// `a·x + b`.
struct AffineFunction: UnaryElementFunction {
    let a: Float, b: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { a * x + b }
}

/// Chain rule for an elementwise function: `(x, y, v) ↦ v · f'(x, y)` where `y = f(x)`.
struct ChainRule<D: BinaryElementFunction>: TernaryElementFunction {
    let derivative: D
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float, _ v: Float) -> Float { v * derivative(x, y) }
}
