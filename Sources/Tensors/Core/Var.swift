import Foundation
/// A node of a differentiable computation: a value, an optional tangent (forward mode) and,
/// after ``Graph/backward(_:seed:)``, a gradient (reverse mode).
///
/// Ops on `Var`s (`+`, `matmul`, `gelu`, `attention`, ...) compute the value, propagate the
/// tangent when any input has one (dual numbers: a JVP is a forward pass with seeded tangents),
/// and, when the graph records and an input requires a gradient, push a backward closure on the tape.
public class Var {
    /// The op that produced this node (`"input"` for leaves, `"parameter"` for parameters).
    public let op: String
    /// The forward value.
    public internal(set) var value: Tensor
    /// Directional derivative of `value` along the seeded input tangents; `nil` means zero.
    public internal(set) var tangent: Tensor?
    /// Accumulated gradient of the loss with respect to `value` (leaves and parameters keep it).
    public internal(set) var grad: Tensor?
    /// Whether gradients flow to this node.
    public let requiresGrad: Bool
    /// The graph this node belongs to (`nil` for parameters and nodes outliving their graph).
    public private(set) weak var graph: Graph?

    /// Shape of `value`.
    public var shape: [Int] { value.shape }

    init(op: String, value: Tensor, tangent: Tensor?, graph: Graph?, requiresGrad: Bool, flops: Double = 0) {
        self.op = op
        self.value = value
        self.tangent = tangent
        // On a thread recording into a branch, the branch (see Graph.concurrently).
        let graph = Graph.resolve(graph)
        self.graph = graph
        self.requiresGrad = requiresGrad
        if let graph, graph.isProfiling { graph.noteForward(op, flops: flops) }
        if let graph, graph.checksFinite {
            if !Elementwise.allFinite(value) { graph.noteNonFinite(op: op, kind: .forward, shape: value.shape) }
            if let tangent, !Elementwise.allFinite(tangent) { graph.noteNonFinite(op: op, kind: .tangent, shape: tangent.shape) }
        }
    }

    /// Adds `g` to `grad` (allocating on first use).
    func accumulateGrad(_ g: Tensor) {
        guard requiresGrad else { return }
        requireShape(g.shape == value.shape, "gradient of shape \(g.shape) for '\(op)' value of shape \(value.shape)")
        if grad == nil { grad = g } else { Elementwise.add(g, into: &grad!) }
    }

    /// Forgets the gradient.
    public func zeroGrad() { grad = nil }
}

/// A trainable tensor: a leaf ``Var`` that always requires a gradient, has zero tangent, belongs
/// to no graph, and keeps its gradient across backward passes until ``Var/zeroGrad()``.
/// Names come from the module structure (see ``Layer/namedParameters(prefix:)``).
public final class Parameter: Var {
    /// The value; every change (``assign(_:)``, an optimiser step, in place or not) advances
    /// ``version``.
    public override internal(set) var value: Tensor {
        didSet { version &+= 1 }
    }

    /// Counts changes of ``value``, so a cache of values computed from parameters can tell when it
    /// is stale (compare the versions it was computed at).
    public private(set) var version = 0

    /// A parameter initialised to `value`.
    public init(_ value: Tensor) {
        super.init(op: "parameter", value: value, tangent: nil, graph: nil, requiresGrad: true)
    }

    /// Replaces the value (e.g. when loading weights); the shape must match.
    public func assign(_ newValue: Tensor) {
        requireShape(newValue.shape == value.shape, "Parameter.assign: shape \(newValue.shape) differs from \(value.shape)")
        value = newValue
    }

    /// Sets or clears the gradient (optimisers and gradient accumulation).
    public func setGrad(_ g: Tensor?) {
        if let g { requireShape(g.shape == value.shape, "Parameter.setGrad: shape \(g.shape) differs from \(value.shape)") }
        grad = g
    }

    func update(_ newValue: Tensor) { value = newValue }

    /// The value packed for the product kernels of `path`, and the ``version`` it was made
    /// from; behind `packingLock` (the experts of a streaming pass run on several threads).
    private(set) var packing: (weight: PackedWeight, version: Int)?
    private let packingLock = NSLock()

    /// The value packed for the products of `path` (``PackedWeight``): made on first use
    /// and again after every change of the value, then shared by every product that reads it.
    /// Costs one more copy of the value in memory while the parameter lives.
    public func packed(for path: KernelPath) -> PackedWeight {
        packingLock.lock()
        defer { packingLock.unlock() }
        if let packing, packing.version == version, packing.weight.path == path { return packing.weight }
        let weight = PackedWeight(value, for: path)
        packing = (weight, version)
        return weight
    }
}

// MARK: - Op construction helpers

extension Var {
    /// The graph of the first input that has one.
    @inline(__always)
    static func graph(of inputs: Var...) -> Graph? {
        for v in inputs { if let g = v.graph { return g } }
        return nil
    }

    /// Makes an op's result. `backward` is recorded only when the graph records and an input
    /// requires a gradient; given the output's gradient it returns one gradient per input, in
    /// order (`nil` for inputs with `requiresGrad == false`). `flops`: the floating-point operations
    /// of the forward computation (value and tangent) and of `backward`, for ops that count them in
    /// a profile.
    @inline(__always)
    static func result(_ op: String, _ value: Tensor, tangent: Tensor?, inputs: [Var], graph: Graph? = nil,
                       flops: (forward: Double, backward: Double) = (0, 0),
                       backward: @escaping (Tensor) -> [Tensor?]) -> Var {
        var graph = graph
        if graph == nil { for v in inputs { if let g = v.graph { graph = g; break } } }
        graph = Graph.resolve(graph)
        // Only nodes of a recording graph can receive gradients: on inference graphs nothing requires them.
        let recording = graph?.isRecording ?? false
        let needsGrad = recording && inputs.contains { $0.requiresGrad }
        let out = Var(op: op, value: value, tangent: tangent, graph: graph, requiresGrad: needsGrad, flops: flops.forward)
        if needsGrad, let graph {
            graph.record(out, inputs: inputs, backwardFlops: flops.backward, backward)
        }
        return out
    }

    /// True when any of `inputs` carries a tangent.
    @inline(__always)
    static func anyTangent(_ inputs: Var...) -> Bool { inputs.contains { $0.tangent != nil } }
}
