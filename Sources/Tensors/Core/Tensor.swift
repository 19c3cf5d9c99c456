/// A dense, contiguous, row-major Float32 tensor: a shape and its scalars.
///
/// `Tensor` is a plain value (copy-on-write through `[Float]`); differentiable computation
/// happens on ``Var`` nodes that hold tensors. A shape of `[]` is a scalar (one element).
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Float]

    /// A tensor with the given shape and scalars (row-major). Traps if the counts disagree.
    public init(shape: [Int], scalars: [Float]) {
        requireShape(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        requireShape(shape.elementCount == scalars.count,
                     "Tensor: shape \(shape) holds \(shape.elementCount) elements but \(scalars.count) scalars were given")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A tensor with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        requireShape(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.elementCount)
    }

    /// A scalar tensor (shape `[]`).
    public init(_ scalar: Float) {
        self.shape = []
        self.scalars = [scalar]
    }

    /// A tensor whose scalars are written by `fill`, which must initialise every element.
    public init(shape: [Int], unsafeUninitialized fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let n = shape.elementCount
        self.shape = shape
        self.scalars = [Float](unsafeUninitializedCapacity: n) { buffer, count in
            fill(buffer)
            count = n
        }
    }

    /// Number of elements.
    @inlinable public var count: Int { scalars.count }
    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        requireShape(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements, not 1")
        return scalars[0]
    }

    /// The same scalars under another shape with the same element count; one dimension may be `-1` (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var copy = self
        copy.shape = resolveReshape(newShape, count: count, from: shape)
        return copy
    }

    /// Reads or writes the element at a full multi-index.
    public subscript(_ index: Int...) -> Float {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        requireShape(index.count == shape.count, "Tensor: index \(index) has rank \(index.count), tensor has shape \(shape)")
        var flat = 0
        for (i, d) in zip(index, shape) {
            requireShape(i >= 0 && i < d, "Tensor: index \(index) out of range for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    public var description: String {
        let shown = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", ..." : "")])"
    }

    /// Calls `body` with read access to the scalars.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with write access to the scalars (copying first if the storage is shared).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }
}

extension Collection where Element == Int {
    /// The number of elements a tensor of this shape holds (1 for `[]`).
    @inlinable public var elementCount: Int { reduce(1, *) }
}

/// Resolves a reshape target with at most one `-1`.
func resolveReshape(_ newShape: [Int], count: Int, from shape: [Int]) -> [Int] {
    var resolved = newShape
    let inferred = newShape.indices.filter { newShape[$0] == -1 }
    requireShape(inferred.count <= 1, "reshape: at most one -1 allowed in \(newShape)")
    if let i = inferred.first {
        let known = newShape.enumerated().filter { $0.offset != i }.map(\.element).elementCount
        requireShape(known > 0 && count % known == 0, "reshape: cannot reshape \(shape) into \(newShape)")
        resolved[i] = count / known
    }
    requireShape(resolved.allSatisfy { $0 >= 0 } && resolved.elementCount == count,
                 "reshape: cannot reshape \(shape) (\(count) elements) into \(newShape)")
    return resolved
}

/// Stops with a message when a shape contract is broken (a programming error, like an index out of range).
/// Unlike `precondition`, it stays active in `-Ounchecked` builds.
@inline(__always)
func requireShape(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
