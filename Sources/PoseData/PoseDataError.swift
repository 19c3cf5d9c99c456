/// Errors from reading, writing and checking pose data. Every message says what was wrong and
/// where, so it can be shown to a person as it is.
public enum PoseDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A layout refers to joints it does not have, or leaves joints without a part.
    case invalidLayout(String)
    /// A sequence's values do not match its frame and joint counts, or hold NaN or infinity.
    case invalidSequence(String)
    /// A file could not be parsed: `file` (when known), the byte offset, and what was wrong.
    case malformed(file: String?, offset: Int?, message: String)
    /// The data is well formed but not of a kind this reader supports.
    case unsupported(String)
    /// A file could not be read or written.
    case io(String)

    public var description: String {
        switch self {
        case .invalidLayout(let message), .invalidSequence(let message),
             .unsupported(let message), .io(let message):
            return message
        case .malformed(let file, let offset, let message):
            var location = file ?? "input"
            if let offset { location += " at byte \(offset)" }
            return "\(location): \(message)"
        }
    }
}
