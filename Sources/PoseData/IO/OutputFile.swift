import Foundation

/// Whole-file reads and atomic writes with errors that name the file.
enum OutputFile {
    /// Writes `bytes` to `url` atomically: into a temporary file in the same directory, flushed,
    /// then renamed over the destination, so readers never see a half-written file.
    static func write(_ bytes: [UInt8], to url: URL) throws(PoseDataError) {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw PoseDataError.io("cannot write \(path): the directory \(directory) does not exist")
        }
        var template = Array((directory.isEmpty ? "." : directory).utf8CString.dropLast())
        template += Array("/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw PoseDataError.io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { raw -> Int32? in
            while written < raw.count {
                let result = Foundation.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return fsync(descriptor) == 0 ? nil : errno
        }
        let closed = close(descriptor)
        if let failure {
            unlink(temporaryPath)
            throw PoseDataError.io("cannot write \(path): \(String(cString: strerror(failure)))")
        }
        guard closed == 0 else {
            unlink(temporaryPath)
            throw PoseDataError.io("cannot write \(path): closing failed")
        }
        // mkstemp creates the file 0600; give it the permissions an ordinary new file gets.
        let mask = umask(0)
        umask(mask)
        chmod(temporaryPath, 0o666 & ~mask)
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw PoseDataError.io("cannot write \(path): \(reason)")
        }
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
