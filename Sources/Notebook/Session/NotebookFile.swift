import Foundation
import Platform

/// The files the session writes (`:save`, `:export` and the images beside an export): atomically
/// through ``Platform/AtomicFile``, making missing directories, a failure as a ``NotebookError``.
enum NotebookFile {
    /// Writes `text` as UTF-8 to `path`.
    static func write(_ text: String, to path: String) throws(NotebookError) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path`.
    static func write(_ data: Data, to path: String) throws(NotebookError) {
        do {
            try AtomicFile.write(data, to: URL(fileURLWithPath: path), creatingDirectories: true)
        } catch {
            throw NotebookError(error.description, hint: "check that the directory is writable")
        }
    }
}
