/// Exponential moving average of parameters: `shadow ← decay·shadow + (1 − decay)·p` after each step.
public final class EMA {
    /// Weight of the old average.
    public var decay: Float
    /// The averaged parameters and their names.
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

