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
    /// Decay of the first-moment average.
    public var beta1: Float
    /// Decay of the second-moment average.
    public var beta2: Float
    /// Added to √v̂ in the denominator.
    public var epsilon: Float
    /// Decoupled weight decay, applied only to parameters selected at construction.
    public var weightDecay: Float
    /// Number of steps taken.
    public private(set) var stepCount: Int = 0
    /// The largest step count ``load(state:)`` accepts (2³⁰; checkpoints store it as a Float32).
    public static let maximumStepCount: Float = 1_073_741_824

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
        // Read from a file and converted to Int in a module without overflow checks: bounded first.
        let steps = step.scalars[0]
        guard steps.isFinite, steps >= 0, steps <= Self.maximumStepCount, steps == steps.rounded() else {
            throw OptimizerStateError.outOfRange("adamw.step", value: steps, allowed: "a whole number 0…\(Int(Self.maximumStepCount))")
        }
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
        stepCount = Int(steps)
    }
}

