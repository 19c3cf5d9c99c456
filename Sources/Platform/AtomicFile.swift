import Foundation

/// The one way files are written: a reader sees the old file or the new one, never a part, and
/// nothing is left behind.
///
/// The bytes go to a hidden temporary file in the target's directory (``TemporaryFiles``), are
/// flushed to the disk (`fsync`), and the temporary is renamed over the target (`rename(2)` within
/// a directory is atomic). Derived files written by the hundred (a render's PNG frames) may skip
/// the flush (`flushing: false`): a reader still never sees a part, but a power loss may leave
/// the newest ones empty — the price of the ~4 ms an `fsync` waits per file. A failure at any
/// point removes the temporary; so does SIGINT or SIGTERM ending the process
/// (``InterruptHandling``); a temporary left by a process killed outright (SIGKILL, power loss) is
/// removed by the next write of the same target. ``Replacement`` is the procedure itself, for a
/// file another program writes by its path.
public enum AtomicFile {
    /// Writes `bytes` to `url`. With `creatingDirectories` missing parent directories are made;
    /// otherwise a missing directory is an error that names it. `flushing` waits for the bytes to
    /// reach the disk before the rename.
    public static func write(_ bytes: UnsafeRawBufferPointer, to url: URL, creatingDirectories: Bool = false,
                             flushing: Bool = true) throws(FileWriteError) {
        let replacement = try Replacement(for: url, creatingDirectories: creatingDirectories)
        try replacement.write(bytes)
        try replacement.commit(flushing: flushing)
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

    private static func withBytes(of bytes: some ContiguousBytes,
                                  _ body: (UnsafeRawBufferPointer) throws(FileWriteError) -> Void) throws(FileWriteError) {
        let failure = bytes.withUnsafeBytes { raw -> FileWriteError? in
            do throws(FileWriteError) { try body(raw); return nil } catch { return error }
        }
        if let failure { throw failure }
    }
}
