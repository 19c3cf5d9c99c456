import Foundation

/// The one way files are written: a reader sees the old file or the new one, never a part, and
/// nothing is left behind.
///
/// The bytes go to a hidden temporary file in the target's directory (``TemporaryFiles``), are
/// flushed to the disk (`fsync`), and the temporary is renamed over the target (`rename(2)` within
/// a directory is atomic). Derived files written by the hundred (a render's PNG frames) may skip
/// the flush (`flushing: false`): a reader still never sees a part, but a power loss may leave
/// the newest ones empty — the price of the ~4 ms an `fsync` waits per file. A failure at any point removes the temporary; so does SIGINT or SIGTERM
/// ending the process (``InterruptHandling``); a temporary left by a process killed outright
/// (SIGKILL, power loss) is removed by the next write of the same target.
public enum AtomicFile {
    /// Writes `bytes` to `url`. With `creatingDirectories` missing parent directories are made;
    /// otherwise a missing directory is an error that names it. `flushing` waits for the bytes to
    /// reach the disk before the rename.
    public static func write(_ bytes: UnsafeRawBufferPointer, to url: URL, creatingDirectories: Bool = false,
                             flushing: Bool = true) throws(FileWriteError) {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        if creatingDirectories {
            try Directories.make(directory)
        } else if !Directories.isDirectory(directory) {
            let problem = FileManager.default.fileExists(atPath: directory)
                ? "\(QuotedText.safe(directory)) is a file, not a directory"
                : "the directory \(QuotedText.safe(directory)) does not exist; create it or choose another path"
            throw FileWriteError(path: path, problem: problem)
        }
        TemporaryFiles.removeStale(of: url.lastPathComponent, in: directory)
        let (temporary, slot, descriptor) = try createTemporary(for: url.lastPathComponent, in: directory, target: path)
        defer { TemporaryFiles.finish(slot) }
        do throws(FileWriteError) {
            try writeAll(bytes, to: descriptor, target: path, flushing: flushing)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        if close(descriptor) != 0 {
            let reason = errorText(errno)
            unlink(temporary)
            throw FileWriteError(path: path, problem: reason)
        }
        if rename(temporary, path) != 0 {
            let reason = errorText(errno)
            unlink(temporary)
            throw FileWriteError(path: path, problem: "cannot replace it: \(reason)")
        }
    }

    /// Writes `bytes` to `url` (see ``write(_:to:creatingDirectories:)-(UnsafeRawBufferPointer,_,_)``).
    public static func write(_ bytes: [UInt8], to url: URL, creatingDirectories: Bool = false, flushing: Bool = true) throws(FileWriteError) {
        try withBytes(of: bytes) { raw throws(FileWriteError) in
            try write(raw, to: url, creatingDirectories: creatingDirectories, flushing: flushing)
        }
    }

    /// Writes `data` to `url` (see ``write(_:to:creatingDirectories:)-(UnsafeRawBufferPointer,_,_)``).
    public static func write(_ data: Data, to url: URL, creatingDirectories: Bool = false) throws(FileWriteError) {
        try withBytes(of: data) { raw throws(FileWriteError) in try write(raw, to: url, creatingDirectories: creatingDirectories) }
    }

    /// Writes `text` as UTF-8 to `url` (see ``write(_:to:creatingDirectories:)-(UnsafeRawBufferPointer,_,_)``).
    public static func write(_ text: String, to url: URL, creatingDirectories: Bool = false) throws(FileWriteError) {
        try write(Array(text.utf8), to: url, creatingDirectories: creatingDirectories)
    }

    /// Creates the temporary exclusively (a name another writer holds is skipped) and registers it
    /// for removal on signals before it exists, so there is no moment it could be left behind.
    private static func createTemporary(for name: String, in directory: String,
                                        target: String) throws(FileWriteError) -> (String, Int?, Int32) {
        for _ in 0..<100 {
            let temporary = TemporaryFiles.path(for: name, in: directory)
            let slot = TemporaryFiles.register(temporary)
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 { return (temporary, slot, descriptor) }
            let code = errno
            TemporaryFiles.finish(slot)
            guard code == EEXIST else {
                throw FileWriteError(path: target, problem: "\(errorText(code)); check that the directory "
                                     + "\(QuotedText.safe(directory)) is writable")
            }
        }
        throw FileWriteError(path: target, problem: "no free temporary file name in \(QuotedText.safe(directory))")
    }

    /// Writes every byte (retrying interrupted and partial writes), then flushes them to the disk.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, target: String,
                                 flushing: Bool) throws(FileWriteError) {
        var written = 0
        while written < bytes.count {
            let result = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: target, problem: "\(errorText(errno)) after \(written) of \(bytes.count) bytes")
            }
            written += result
        }
        guard !flushing || fsync(descriptor) == 0 else {
            throw FileWriteError(path: target, problem: "flushing it to the disk failed: \(errorText(errno))")
        }
    }

    private static func withBytes(of bytes: some ContiguousBytes,
                                  _ body: (UnsafeRawBufferPointer) throws(FileWriteError) -> Void) throws(FileWriteError) {
        let failure = bytes.withUnsafeBytes { raw -> FileWriteError? in
            do throws(FileWriteError) { try body(raw); return nil } catch { return error }
        }
        if let failure { throw failure }
    }
}
