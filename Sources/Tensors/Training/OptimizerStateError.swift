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

