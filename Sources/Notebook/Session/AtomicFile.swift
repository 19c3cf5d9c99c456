import Foundation

/// Writes files so that readers never see a half-written one.
public enum AtomicFile {
    /// Writes `text` to `path` through a temporary file in the same directory, then renames it
    /// over the target. Creates missing parent directories.
    public static func write(_ text: String, to path: String) throws(NotebookError) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path` atomically, as the text version does.
    public static func write(_ data: Data, to path: String) throws(NotebookError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw NotebookError("cannot write '\(path)': \(reason)")
            }
        } catch let error as NotebookError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw NotebookError("cannot write '\(path)': \(error.localizedDescription)",
                                hint: "check that the directory is writable")
        }
    }
}
