import Foundation

/// A small UTF-8 text file read whole: a list of texts to sign, one a line.
///
/// The file is mapped (``MappedFile``, which refuses anything but a regular file) and its size is
/// checked against a ceiling before a byte is decoded, so a mistaken path (a dataset, a model, a
/// device) is refused instead of being turned into a string whole. A NUL byte or bytes that are
/// not UTF-8 mean the file is not text.
public enum TextFile {
    /// The default ceiling (16 MiB): a list of texts to sign is far smaller.
    public static let defaultMaximumBytes = 16 << 20

    /// The text of the file at `path`, at most `maximumBytes` long.
    public static func read(path: String, maximumBytes: Int = defaultMaximumBytes) throws(TextFileError) -> String {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw TextFileError(path: path, problem: .missing)
            }
            throw TextFileError(path: path, problem: isDirectory.boolValue ? .directory : .unreadable(error.reason))
        }
        return try withExtendedLifetime(file) { () throws(TextFileError) -> String in
            guard file.count <= maximumBytes else {
                throw TextFileError(path: path, problem: .tooLarge(bytes: file.count, maximumBytes: maximumBytes))
            }
            let bytes = file.bytes
            if let offset = bytes.firstIndex(of: 0) { throw TextFileError(path: path, problem: .nulByte(offset: offset)) }
            guard let text = String(validating: bytes, as: UTF8.self) else { throw TextFileError(path: path, problem: .notUTF8) }
            return text
        }
    }
}

/// A text file that could not be read as text: its path and what was wrong.
public struct TextFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong with the file.
    public enum Problem: Equatable, Sendable {
        case missing
        case directory
        /// The system refused to open or map it, for this reason.
        case unreadable(String)
        case tooLarge(bytes: Int, maximumBytes: Int)
        /// A NUL byte at this offset: a binary file.
        case nulByte(offset: Int)
        case notUTF8
    }

    /// The path given.
    public let path: String
    public let problem: Problem

    /// What was wrong, as a predicate of the file (callers name the file their own way:
    /// `"'texts.txt' " + reason`).
    public var reason: String {
        switch problem {
        case .missing: "does not exist"
        case .directory: "is a directory, not a text file"
        case .unreadable(let reason): "cannot be read: \(reason)"
        case .tooLarge(let bytes, let maximum):
            "is \(bytes) bytes, larger than the \(maximum % (1 << 20) == 0 ? "\(maximum >> 20) MiB" : "\(maximum) bytes") a list of texts may have"
        case .nulByte(let offset): "is not a text file (a NUL byte at offset \(offset))"
        case .notUTF8: "is not UTF-8 text"
        }
    }

    /// What to do about it.
    public var hint: String {
        switch problem {
        case .missing: "check the path"
        case .directory: "give the path of a text file in it"
        case .unreadable: "check its permissions"
        case .tooLarge: "split the file, or check the path"
        case .nulByte, .notUTF8: "save it as UTF-8 text, one entry a line"
        }
    }

    public var description: String { "\(QuotedText.quoted(path)) \(reason) (\(hint))" }
}
