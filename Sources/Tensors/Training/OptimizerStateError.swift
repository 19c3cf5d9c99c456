/// Errors restoring optimiser or EMA state.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case shapeMismatch(String, expected: [Int], found: [Int])
    /// A value outside what it may be (the name, the value, the allowed range in words).
    case outOfRange(String, value: Float, allowed: String)
    public var description: String {
        switch self {
        case .missing(let k): return "optimiser state '\(k)' is missing from the checkpoint"
        case let .shapeMismatch(k, e, f): return "optimiser state '\(k)' has shape \(f), expected \(e)"
        case let .outOfRange(k, value, allowed): return "optimiser state '\(k)' is \(value); it must be \(allowed)"
        }
    }
}

