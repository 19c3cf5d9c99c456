import Foundation

/// The tape of a differentiable computation.
///
/// Keep the graph alive for the whole computation (nodes refer to it weakly, so that a graph and its
/// nodes never form a reference cycle). A graph is used from one thread at a time; to record on
/// several cores at once, use ``concurrently(_:_:)``, which gives each thread a branch of its own.
///
/// Create one per training step (or per sampling pass), make inputs with ``input(_:tangent:requiresGrad:)``,
/// apply ops, then call ``backward(_:seed:)``. With `Graph(recording: false)` nothing is recorded:
/// ops only compute values (and tangents, when inputs carry them), for inference and pure JVPs.
///
/// Every op's output (and tangent, and every gradient during `backward`) is checked for NaN/Inf
/// when ``checksFinite`` is on (the default); the first offender is kept in ``firstNonFinite`` and
/// ``checkFinite()`` or ``backward(_:seed:)`` throw a ``NonFiniteError`` naming it.
public final class Graph {
    /// Whether ops record backward closures on the tape.
    public let isRecording: Bool
    /// Whether op outputs, tangents and gradients are checked for NaN/Inf (default on).
    public var checksFinite: Bool = true
    /// The precision of the linear layers' products recorded in this graph (default `fp32`; `bf16`
    /// for mixed-precision training).
    public var matmulPrecision: MatmulPrecision = .fp32
    /// The first non-finite value seen, if any.
    public private(set) var firstNonFinite: NonFiniteError?

    var tape: [TapeItem] = []
    /// The top-level graph this one is a branch of (nil for a top-level graph).
    private(set) weak var parentGraph: Graph?
    /// Whether this graph is a branch (checked on every op, so a stored flag, not the weak link).
    let isBranch: Bool
    /// The branches made by ``concurrently(_:_:)``, kept alive with their nodes.
    var branches: [Graph] = []

    /// The top-level graph: itself, or the graph it is a branch of.
    var root: Graph { parentGraph ?? self }

    /// When set, the graph accumulates time per op name into ``profile`` (forward: the time since the
    /// previous op finished, so glue code between ops is charged to the next op; backward: each closure).
    public var isProfiling: Bool = false {
        didSet { lastStamp = .now }
    }
    /// Time, calls and arithmetic per op (`"gelu"`, `"backward attention"`, ...), collected while ``isProfiling``.
    public internal(set) var profile: [String: OpProfile] = [:]
    var lastStamp = ContinuousClock.now

    func noteForward(_ op: String, flops: Double) {
        let now = ContinuousClock.now
        add(op, now - lastStamp, flops: flops)
        lastStamp = now
    }

    func add(_ op: String, _ d: Duration, flops: Double) {
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        profile[op, default: OpProfile()].add(OpProfile(seconds: seconds, calls: 1, flops: flops))
    }

    /// The profile as text, most expensive op first; ops that count their arithmetic (the linear
    /// layers) also show their rate. Times of concurrent branches add up, so a rate is per busy core.
    public func profileReport() -> String {
        let total = profile.values.reduce(0) { $0 + $1.seconds }
        return profile.sorted { $0.value.seconds > $1.value.seconds }.map { op, v in
            let share = total > 0 ? 100 * v.seconds / total : 0
            let rate = v.flops > 0 && v.seconds > 0 ? String(format: " %7.1f GFLOP/s", v.flops / v.seconds / 1e9) : ""
            return "\(op.padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(format: "%9.3f ms %5.1f%% %6d calls", v.seconds * 1000, share, v.calls))" + rate
        }.joined(separator: "\n")
    }

    /// A graph; `recording: false` for inference (no tape, ~no overhead).
    public init(recording: Bool = true) {
        self.isRecording = recording
        isBranch = false
    }

    /// A branch of `parent` (see ``concurrently(_:_:)``), with its settings.
    init(branchOf parent: Graph) {
        isRecording = parent.isRecording
        parentGraph = parent
        isBranch = true
        checksFinite = parent.checksFinite
        matmulPrecision = parent.matmulPrecision
        isProfiling = parent.isProfiling
    }

    /// Number of recorded ops waiting for `backward` (those of branches included).
    public var recordedOpCount: Int {
        tape.reduce(0) { count, item in
            switch item {
            case .op: count + 1
            case .branches(let graphs): count + graphs.reduce(0) { $0 + $1.recordedOpCount }
            }
        }
    }

    /// A leaf node holding `value`. Give a `tangent` (same shape) to seed forward-mode
    /// differentiation through it; set `requiresGrad` to receive `grad` from ``backward(_:seed:)``.
    public func input(_ value: Tensor, tangent: Tensor? = nil, requiresGrad: Bool = false) -> Var {
        if let tangent {
            requireShape(tangent.shape == value.shape, "Graph.input: tangent shape \(tangent.shape) differs from value shape \(value.shape)")
        }
        return Var(op: "input", value: value, tangent: tangent, graph: self, requiresGrad: requiresGrad)
    }

    /// A leaf node holding a constant (no tangent, no gradient).
    public func constant(_ value: Tensor) -> Var {
        Var(op: "constant", value: value, tangent: nil, graph: self, requiresGrad: false)
    }

    /// `parameter` as a node of this graph. Ops find their graph from their inputs, so an op whose
    /// inputs are all parameters (e.g. `broadcast(startToken, to: ...)`) would belong to no graph and
    /// record nothing; attach one of them first: `broadcast(g.attach(startToken), to: ...)`.
    public func attach(_ parameter: Parameter) -> Var {
        Var.result("attach", parameter.value, tangent: nil, inputs: [parameter], graph: self) { g in [g] }
    }

    /// A scalar constant (shape `[]`), handy for broadcasting.
    public func constant(_ value: Float) -> Var { constant(Tensor(value)) }

    /// Reverse-mode differentiation: sets `loss.grad = seed` (ones by default) and runs the tape
    /// backwards, accumulating `grad` into every input and ``Parameter`` that requires it.
    /// The tape is consumed (intermediate gradients are freed). Throws a ``NonFiniteError`` if
    /// any forward value, tangent or gradient was NaN/Inf.
    public func backward(_ loss: Var, seed: Tensor? = nil) throws {
        try checkFinite()
        let seed = seed ?? Tensor(repeating: 1, shape: loss.shape)
        requireShape(seed.shape == loss.shape, "Graph.backward: seed shape \(seed.shape) differs from loss shape \(loss.shape)")
        guard loss.requiresGrad else { throw GraphError.lossNotDifferentiable(op: loss.op) }
        loss.accumulateGrad(seed)
        runTape(keepingGradientOf: loss, deferred: nil)
        try checkFinite()
    }

    /// Runs the tape backwards, accumulating each op's input gradients. With `deferred` (a branch
    /// running beside its siblings), gradients for nodes this graph does not own — inputs from
    /// before the branch, parameters — are collected there instead, to be added on one thread
    /// once every branch is done.
    func runTape(keepingGradientOf loss: Var?, deferred: UnsafeMutablePointer<[(Var, Tensor)]>?) {
        // Pop entries so each closure (and the tensors it captured) is freed once used.
        var entries = tape
        tape = []
        while let item = entries.popLast() {
            switch item {
            case .branches(let graphs):
                runBranchesBackward(graphs)
            case .op(let entry):
                guard let g = entry.output.grad else { continue }
                let started = isProfiling ? ContinuousClock.now : lastStamp
                let grads = entry.backward(g)
                if isProfiling { add("backward " + entry.output.op, ContinuousClock.now - started, flops: entry.backwardFlops) }
                for (input, gi) in zip(entry.inputs, grads) {
                    guard let gi, input.requiresGrad else { continue }
                    if checksFinite && !Elementwise.allFinite(gi) {
                        noteNonFinite(op: entry.output.op, kind: .gradient, shape: gi.shape)
                    }
                    if let deferred, input.graph !== self {
                        deferred.pointee.append((input, gi))
                    } else {
                        input.accumulateGrad(gi)
                    }
                }
                if entry.output !== loss { entry.output.grad = nil }
            }
            if firstNonFinite != nil { break }
        }
    }

    /// Throws the first non-finite value seen by this graph, naming the op and the kind of value.
    public func checkFinite() throws {
        if let error = firstNonFinite { throw error }
    }

    /// Forgets recorded ops and any non-finite report, to reuse the graph.
    public func reset() {
        tape = []
        firstNonFinite = nil
    }

    func record(_ output: Var, inputs: [Var], backwardFlops: Double, _ backward: @escaping (Tensor) -> [Tensor?]) {
        tape.append(.op(TapeEntry(output: output, inputs: inputs, backwardFlops: backwardFlops, backward: backward)))
    }

    func noteNonFinite(_ error: NonFiniteError) {
        if firstNonFinite == nil { firstNonFinite = error }
    }

    func noteNonFinite(op: String, kind: NonFiniteError.Kind, shape: [Int]) {
        if firstNonFinite == nil { firstNonFinite = NonFiniteError(op: op, kind: kind, shape: shape) }
    }
}

/// One recorded op: its output, its inputs, and a closure mapping the output's gradient to one
/// gradient per input (`nil` where an input needs none).
struct TapeEntry {
    let output: Var
    let inputs: [Var]
    /// Floating-point operations of `backward`, for the profile (0: not counted).
    let backwardFlops: Double
    let backward: (Tensor) -> [Tensor?]
}

/// What a profiled graph measured for one op name.
public struct OpProfile: Sendable, Equatable {
    /// Seconds spent (summed over concurrent branches).
    public var seconds: Double = 0
    /// Times the op ran.
    public var calls: Int = 0
    /// Floating-point operations done, for ops that count them (0 otherwise).
    public var flops: Double = 0

    mutating func add(_ other: OpProfile) {
        seconds += other.seconds
        calls += other.calls
        flops += other.flops
    }
}

/// One item of a tape: an op, or the branches of a ``Graph/concurrently(_:_:)`` call (whose
/// tapes run backwards concurrently when `backward` reaches this point).
enum TapeItem {
    case op(TapeEntry)
    case branches([Graph])
}

/// Misuse of ``Graph/backward(_:seed:)``.
public enum GraphError: Error, CustomStringConvertible, Equatable {
    /// The loss depends on no parameter and no input with `requiresGrad`, so nothing would get a gradient.
    case lossNotDifferentiable(op: String)

    public var description: String {
        switch self {
        case .lossNotDifferentiable(let op):
            return "backward: the loss (made by '\(op)') depends on no parameter and no input with requiresGrad; " +
                "check that the model's parameters are used and that the graph records (Graph(), not Graph(recording: false))"
        }
    }
}

/// A NaN or infinity produced by an op.
public struct NonFiniteError: Error, CustomStringConvertible, Equatable {
    /// Which value was not finite.
    public enum Kind: String, Sendable { case forward = "value", tangent = "tangent", gradient = "gradient" }
    /// The op that produced it (e.g. `"log"`, `"attention"`).
    public let op: String
    public let kind: Kind
    /// Shape of the offending tensor.
    public let shape: [Int]

    public var description: String {
        "non-finite \(kind.rawValue) (NaN or Inf) produced by op '\(op)' (shape \(shape)); " +
            "check its inputs (e.g. log of ≤ 0, division by 0, a too-large learning rate)"
    }
}
