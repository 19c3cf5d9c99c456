import Foundation
import Platform

/// Whole-file reads and atomic writes with errors that name the file.
enum OutputFile {
    /// Writes `bytes` to `url` atomically (``Platform/AtomicFile``): readers never see a
    /// half-written file, and a missing directory is an error that names it.
    static func write(_ bytes: [UInt8], to url: URL) throws(PoseDataError) {
        do { try AtomicFile.write(bytes, to: url) } catch { throw PoseDataError.io(error.description) }
    }

    /// Reads the whole file at `url`.
    static func read(_ url: URL) throws(PoseDataError) -> [UInt8] {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PoseDataError.io("cannot read \(path): no such file")
        }
        guard !isDirectory.boolValue else {
            throw PoseDataError.io("cannot read \(path): it is a directory")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PoseDataError.io("cannot read \(path): permission denied or unreadable")
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw PoseDataError.io("cannot read \(path): \(error.localizedDescription)")
        }
    }
}
