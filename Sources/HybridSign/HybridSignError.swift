/// Errors from building, training, sampling and loading HybridSign models. Messages say what was
/// wrong and what to do.
public enum HybridSignError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration that cannot work (sizes, presets, options).
    case invalidConfig(String)
    /// Training or evaluation data that cannot be used (empty, no keypoints, NaN, wrong layout).
    case invalidData(String)
    /// Text the model cannot encode (unknown characters or words).
    case unsupportedText(String)
    /// A signer the model does not know (or a signer for a model without signer conditioning).
    case unknownSigner(String)
    /// A checkpoint that is damaged, incomplete or made for another layout.
    case invalidCheckpoint(String)
    /// A file could not be read or written.
    case io(String)
    /// Training produced non-finite values.
    case diverged(String)

    public var description: String {
        switch self {
        case .invalidConfig(let m), .invalidData(let m), .unsupportedText(let m), .unknownSigner(let m),
             .invalidCheckpoint(let m), .io(let m), .diverged(let m):
            return m
        }
    }
}
