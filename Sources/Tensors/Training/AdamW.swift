#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch's `AdamW`:
/// `p ← p − lr·wd·p`, then `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
/// `p ← p − lr · m̂ / (√v̂ + ε)` with bias-corrected `m̂`, `v̂`.
public final class AdamW {
    /// Step size; set it every step from a schedule.
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Decoupled weight decay, applied only to parameters selected at construction.
    public var weightDecay: Float
    /// Number of steps taken.
    public private(set) var stepCount: Int = 0

    /// The parameters, their names, and whether they are decayed.
    public let parameters: [(name: String, parameter: Parameter, decays: Bool)]
    private var m: [Tensor]
    private var v: [Tensor]

    /// Decays matrices and embeddings (rank ≥ 2) but not biases or norm scales (rank 1) — the usual choice.
    public static func decaysMatrices(_ name: String, _ parameter: Parameter) -> Bool { parameter.value.rank >= 2 }

    /// An optimiser over named parameters (e.g. `model.namedParameters()`); `decays` picks which get weight decay.
    public init(_ named: [(name: String, parameter: Parameter)], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0.01,
                decays: (String, Parameter) -> Bool = AdamW.decaysMatrices) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.parameters = named.map { (name: $0.name, parameter: $0.parameter, decays: decays($0.name, $0.parameter)) }
        m = named.map { Tensor(zeros: $0.parameter.value.shape) }
        v = named.map { Tensor(zeros: $0.parameter.value.shape) }
    }

    /// One update from the parameters' current gradients (parameters without a gradient are skipped).
    public func step() {
        stepCount += 1
        let (b1, b2, eps, lr) = (beta1, beta2, epsilon, learningRate)
        let c1 = 1 / (1 - powf(b1, Float(stepCount)))
        let c2 = 1 / (1 - powf(b2, Float(stepCount)))
        for (i, entry) in parameters.enumerated() {
            guard let grad = entry.parameter.grad else { continue }
            let decay: Float = entry.decays ? 1 - lr * weightDecay : 1
            let p = entry.parameter
            grad.withUnsafeBufferPointer { gb in
                m[i].withUnsafeMutableBufferPointer { mb in
                    v[i].withUnsafeMutableBufferPointer { vb in
                        p.value.withUnsafeMutableBufferPointer { pb in
                            guard let gp = gb.baseAddress, let mp = mb.baseAddress, let vp = vb.baseAddress, let pp = pb.baseAddress else { return }
                            Parallel.forChunks(pb.count, costPerItem: 8) { r in
                                for j in r {
                                    let g = gp[j]
                                    let mj = b1 * mp[j] + (1 - b1) * g
                                    let vj = b2 * vp[j] + (1 - b2) * g * g
                                    mp[j] = mj
                                    vp[j] = vj
                                    pp[j] = pp[j] * decay - lr * (mj * c1) / ((vj * c2).squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The optimiser state as named tensors (`adamw.step`, `adamw.m.<name>`, `adamw.v.<name>`), for checkpoints.
    public func state() -> [String: Tensor] {
        var out: [String: Tensor] = ["adamw.step": Tensor(Float(stepCount))]
        for (i, e) in parameters.enumerated() {
            out["adamw.m." + e.name] = m[i]
            out["adamw.v." + e.name] = v[i]
        }
        return out
    }

    /// Restores a state written by ``state()``; throws if a moment is missing or has the wrong shape.
    public func load(state: [String: Tensor]) throws {
        guard let step = state["adamw.step"], step.count == 1 else { throw OptimizerStateError.missing("adamw.step") }
        var newM = m, newV = v
        for (i, e) in parameters.enumerated() {
            for (key, store) in [("adamw.m." + e.name, 0), ("adamw.v." + e.name, 1)] {
                guard let t = state[key] else { throw OptimizerStateError.missing(key) }
                guard t.shape == e.parameter.value.shape else { throw OptimizerStateError.shapeMismatch(key, expected: e.parameter.value.shape, found: t.shape) }
                if store == 0 { newM[i] = t } else { newV[i] = t }
            }
        }
        m = newM
        v = newV
        stepCount = Int(step.scalars[0])
    }
}

/// Errors restoring optimiser or EMA state.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case shapeMismatch(String, expected: [Int], found: [Int])
    public var description: String {
        switch self {
        case .missing(let k): return "optimiser state '\(k)' is missing from the checkpoint"
        case let .shapeMismatch(k, e, f): return "optimiser state '\(k)' has shape \(f), expected \(e)"
        }
    }
}

/// Scales all gradients so their global L2 norm is at most `maxNorm`; returns the norm before clipping.
/// Parameters without a gradient are ignored.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var total = 0.0
    for p in parameters {
        guard let g = p.grad else { continue }
        total += g.withUnsafeBufferPointer { b in b.baseAddress.map { Double(Vec.dot($0, $0, b.count)) } ?? 0 }
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm && norm.isFinite {
        let s = maxNorm / (norm + 1e-6)
        for p in parameters { if let g = p.grad { p.setGrad(g * s) } }
    }
    return norm
}

/// Exponential moving average of parameters: `shadow ← decay·shadow + (1 − decay)·p` after each step.
public final class EMA {
    /// Weight of the old average.
    public var decay: Float
    public let parameters: [(name: String, parameter: Parameter)]
    /// The averaged values, in `parameters` order.
    public private(set) var shadow: [Tensor]

    /// Starts the average at the parameters' current values.
    public init(_ named: [(name: String, parameter: Parameter)], decay: Float = 0.999) {
        self.decay = decay
        self.parameters = named
        self.shadow = named.map { $0.parameter.value }
    }

    /// Folds the current parameter values into the average.
    public func update() {
        let d = decay
        for (i, e) in parameters.enumerated() {
            let p = e.parameter.value
            p.withUnsafeBufferPointer { pb in
                shadow[i].withUnsafeMutableBufferPointer { sb in
                    guard let pp = pb.baseAddress, let sp = sb.baseAddress else { return }
                    for j in 0..<sb.count { sp[j] = d * sp[j] + (1 - d) * pp[j] }
                }
            }
        }
    }

    /// The averaged weights by parameter name (to save, or to load into a copy of the model).
    public func averagedWeights() -> [String: Tensor] {
        Dictionary(zip(parameters.map(\.name), shadow), uniquingKeysWith: { a, _ in a })
    }

    /// Copies the averaged values into the parameters (e.g. before sampling); returns the previous values
    /// so they can be restored with ``restore(_:)``.
    @discardableResult
    public func apply() -> [Tensor] {
        let previous = parameters.map { $0.parameter.value }
        for (i, e) in parameters.enumerated() { e.parameter.assign(shadow[i]) }
        return previous
    }

    /// Puts back values returned by ``apply()``.
    public func restore(_ values: [Tensor]) {
        for (e, t) in zip(parameters, values) { e.parameter.assign(t) }
    }

    /// The state as named tensors (`ema.<name>`), for checkpoints.
    public func state() -> [String: Tensor] {
        Dictionary(zip(parameters.map { "ema." + $0.name }, shadow), uniquingKeysWith: { a, _ in a })
    }

    /// Restores a state written by ``state()``.
    public func load(state: [String: Tensor]) throws {
        var new = shadow
        for (i, e) in parameters.enumerated() {
            let key = "ema." + e.name
            guard let t = state[key] else { throw OptimizerStateError.missing(key) }
            guard t.shape == e.parameter.value.shape else { throw OptimizerStateError.shapeMismatch(key, expected: e.parameter.value.shape, found: t.shape) }
            new[i] = t
        }
        shadow = new
    }
}

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `minimum` at `totalSteps`
/// (and `minimum` after).
public struct WarmupCosineSchedule: Sendable {
    public var peak: Float
    public var minimum: Float
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Float, minimum: Float = 0, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The learning rate for 0-based `step`.
    public func callAsFunction(_ step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let progress = min(1, Float(step - warmupSteps) / Float(span))
        return minimum + (peak - minimum) * 0.5 * (1 + cosf(Float.pi * progress))
    }
}
