import Platform

/// Errors from drawing and writing images. Every message says what was wrong, where, and what to do,
/// so it can be shown to a person as it is.
public enum RenderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An argument is out of range (a canvas size, a frame index, an empty list of sequences, ...).
    case invalidArgument(String)
    /// A file or directory could not be created, written, renamed or read.
    case io(String)
    /// libpng could not encode or decode an image.
    case png(String)
    /// The caller's cancellation check asked the work to stop.
    case cancelled

    public var description: String {
        switch self {
        case .invalidArgument(let message), .io(let message), .png(let message):
            return message
        case .cancelled:
            return "rendering was cancelled"
        }
    }
}

extension RenderError {
    /// A file that could not be written, as ``io(_:)``.
    init(_ error: FileWriteError) {
        self = .io(error.description)
    }
}

/// Reports progress of long renders: `(done, total)` units of work (frames or tiles).
public typealias RenderProgress = (_ done: Int, _ total: Int) -> Void

/// Returns true when a long render should stop (for example after Ctrl-C); it then throws
/// ``RenderError/cancelled``.
public typealias RenderCancellation = () -> Bool
