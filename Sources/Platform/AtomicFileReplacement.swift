import Foundation

extension AtomicFile {
    /// A hidden temporary beside a target that replaces the target when committed: the one
    /// procedure behind every ``AtomicFile`` write, and the way to write atomically a file that
    /// another program fills by its path (ffmpeg writing a video).
    ///
    /// The temporary is registered for removal on SIGINT and SIGTERM before it exists, stale
    /// temporaries of the same target are removed first, and a replacement neither committed nor
    /// discarded removes its temporary when it goes away.
    public final class Replacement {
        /// The target, as given.
        public let target: String
        /// The temporary's path (`dir/.name.tmp-PID-N`), for a program that writes it by name. Its
        /// name does not end in the target's extension: tell such a program the format.
        public let temporaryPath: String
        private let slot: Int?
        private var descriptor: Int32
        private var finished = false

        /// Creates the temporary for `url`. With `creatingDirectories` missing parent directories
        /// are made; otherwise a missing directory is an error that names it.
        public init(for url: URL, creatingDirectories: Bool = false) throws(FileWriteError) {
            target = url.path
            let directory = url.deletingLastPathComponent().path
            try Self.checkDirectory(directory, of: target, creating: creatingDirectories)
            TemporaryFiles.removeStale(of: url.lastPathComponent, in: directory)
            (temporaryPath, slot, descriptor) = try Self.createTemporary(for: url.lastPathComponent, in: directory, target: target)
        }

        deinit { discard() }

        /// Appends `bytes` to the temporary (retrying interrupted and partial writes).
        public func write(_ bytes: UnsafeRawBufferPointer) throws(FileWriteError) {
            var written = 0
            while written < bytes.count {
                let result = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    let problem = "\(errorText(errno)) after \(written) of \(bytes.count) bytes"
                    discard()
                    throw FileWriteError(path: target, problem: problem)
                }
                written += result
            }
        }

        /// Flushes the temporary to the disk (unless `flushing` is false) and renames it over the
        /// target. A failure removes the temporary.
        public func commit(flushing: Bool = true) throws(FileWriteError) {
            guard !finished else { return }
            if flushing {
                // Reopened by path: a program that filled the temporary may have replaced its inode.
                let flushed = open(temporaryPath, O_RDONLY | O_CLOEXEC)
                let failed = flushed < 0 || fsync(flushed) != 0
                let reason = errorText(errno)
                if flushed >= 0 { close(flushed) }
                if failed { return try fail("flushing it to the disk failed: \(reason)") }
            }
            if close(descriptor) != 0 { return try fail(errorText(errno)) }
            descriptor = -1
            if rename(temporaryPath, target) != 0 { return try fail("cannot replace it: \(errorText(errno))") }
            finish()
        }

        /// Removes the temporary; the target stays as it was. Does nothing once committed.
        public func discard() {
            guard !finished else { return }
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
            finish()
        }

        private func fail(_ problem: String) throws(FileWriteError) {
            discard()
            throw FileWriteError(path: target, problem: problem)
        }

        private func finish() {
            descriptor = -1
            finished = true
            TemporaryFiles.finish(slot)
        }

        private static func checkDirectory(_ directory: String, of target: String, creating: Bool) throws(FileWriteError) {
            if creating { return try Directories.make(directory) }
            guard !Directories.isDirectory(directory) else { return }
            let problem = FileManager.default.fileExists(atPath: directory)
                ? "\(QuotedText.safe(directory)) is a file, not a directory"
                : "the directory \(QuotedText.safe(directory)) does not exist; create it or choose another path"
            throw FileWriteError(path: target, problem: problem)
        }

        /// Creates the temporary exclusively (a name another writer holds is skipped) and registers
        /// it for removal on signals before it exists, so there is no moment it could be left behind.
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
    }
}
