#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes files so that a reader never sees a half-written one: bytes go to a hidden temporary file
/// in the same directory, which is then renamed over the destination (rename is atomic on POSIX).
enum AtomicFile {
    /// Writes `bytes` to `url` atomically.
    static func write(_ bytes: UnsafeRawBufferPointer, to url: URL) throws(RenderError) {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        // Unique without randomness: process id + clock, and O_EXCL with a retry counter for collisions.
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        var temporary = ""
        var descriptor: Int32 = -1
        for attempt in 0..<100 {
            temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(clock.tv_sec)\(clock.tv_nsec)-\(attempt)"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw RenderError.io("cannot write '\(path)': \(errorText()); check that the directory '\(directory)' exists and is writable")
        }
        var written = 0
        while written < bytes.count {
            let result = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                let reason = errorText()
                close(descriptor)
                unlink(temporary)
                throw RenderError.io("cannot write '\(path)': \(reason) after \(written) of \(bytes.count) bytes")
            }
            written += result
        }
        if close(descriptor) != 0 {
            let reason = errorText()
            unlink(temporary)
            throw RenderError.io("cannot write '\(path)': \(reason)")
        }
        if rename(temporary, path) != 0 {
            let reason = errorText()
            unlink(temporary)
            throw RenderError.io("cannot replace '\(path)': \(reason)")
        }
    }

    /// Writes `bytes` to `url` atomically.
    static func write(_ bytes: [UInt8], to url: URL) throws(RenderError) {
        let failure = bytes.withUnsafeBytes { raw -> RenderError? in
            do throws(RenderError) { try write(raw, to: url); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Creates `url` and its parents when missing; a clear error when that is impossible or `url` is a file.
    static func makeDirectory(_ url: URL) throws(RenderError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw RenderError.io("'\(url.path)' exists and is not a directory; choose another output directory")
            }
        } else {
            try makeDirectories(url)
        }
        guard access(url.path, W_OK) == 0 else {
            throw RenderError.io("directory '\(url.path)' is not writable; choose another output directory or fix its permissions")
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }

    /// `mkdir -p` with POSIX calls, so a failure names the directory that could not be made and why.
    private static func makeDirectories(_ url: URL) throws(RenderError) {
        var missing: [String] = []
        var current = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: current.path) && current.path != "/" {
            missing.append(current.path)
            current = current.deletingLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: current.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw RenderError.io("cannot create directory '\(url.path)': '\(current.path)' is a file, not a directory")
        }
        for path in missing.reversed() where mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw RenderError.io("cannot create directory '\(url.path)': making '\(path)' failed: \(errorText()); check the path and its permissions")
        }
    }
}
