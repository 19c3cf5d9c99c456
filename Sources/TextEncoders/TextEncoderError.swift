/// A text encoder folder, file or input that cannot be used: names the file, the field and what to do.
public struct TextEncoderError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The whole message: the file or folder, what is wrong, and what to do about it.
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// An unsupported or malformed field of a JSON file.
    static func field(_ file: String, _ field: String, _ problem: String) -> TextEncoderError {
        TextEncoderError("\(file): field '\(field)' \(problem)")
    }
}
