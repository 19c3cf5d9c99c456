/// A file or directory that could not be written: names the path, says what went wrong and, where
/// it can, what to do. Each module wraps it in its own error type.
public struct FileWriteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file or directory that was to be written, as given.
    public let path: String
    /// What went wrong, for example `the directory out/frames does not exist`.
    public let problem: String

    /// Creates an error about `path`.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `cannot write PATH: PROBLEM`, with control characters in the path made visible.
    public var description: String { "cannot write \(QuotedText.safe(path, limit: 400)): \(problem)" }
}
