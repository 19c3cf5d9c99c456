import Foundation
import Glibc
import XCTest

/// The built `hybridsign` executable, next to the test bundle in the build directory.
func hybridsignExecutable() throws -> String {
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("hybridsign").path,
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("hybridsign").path,
        repositoryRoot.appendingPathComponent(".build/release/hybridsign").path,
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw NotebookTestError("the hybridsign executable is not built; looked in \(candidates)")
    }
    return found
}

/// Runs the hybridsign executable with `arguments` to its end: its exit status, and standard
/// output and error together.
func runHybridsign(_ arguments: [String]) throws -> (status: Int32, text: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try hybridsignExecutable())
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}

struct NotebookTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A child process on a pseudo-terminal, driven like a person at a keyboard. Every read has a
/// deadline; the child is killed when the object goes away.
final class PseudoTerminalProcess {
    let pid: pid_t
    private let master: Int32
    /// Terminal output since the last match, without escape sequences and carriage returns.
    private(set) var pending = ""
    /// Everything the terminal showed, for failure messages.
    private(set) var transcript = ""
    private var exitStatus: Int32?

    init(executable: String, arguments: [String] = [], environment: [String: String]) throws {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var name = [CChar](repeating: 0, count: 256)
        guard master >= 0, LibC.grantpt(master) == 0, LibC.unlockpt(master) == 0,
              LibC.ptsname(master, &name, name.count) == 0 else {
            throw NotebookTestError("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid, opening the terminal makes it the child's controlling terminal, so Ctrl-C
        // typed on it sends SIGINT to the child.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let setsid: Int32 = 0x80  // POSIX_SPAWN_SETSID (glibc ≥ 2.26)
        posix_spawnattr_setflags(&attributes, Int16(setsid | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(master)
            throw NotebookTestError("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types `text`.
    func send(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeMutableBufferPointer { write(master, $0.baseAddress, $0.count) }
            if written > 0 { offset += written } else if errno != EINTR { return }
        }
        bytes.removeAll()
    }

    /// Waits until the terminal shows `text` (after the previous match) and consumes up to it.
    func expect(_ text: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let range = pending.range(of: text) {
                pending = String(pending[range.upperBound...])
                return
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, readAvailable(timeout: remaining) else {
                throw NotebookTestError("timed out waiting for \(text.debugDescription); the terminal showed:\n\(transcript)")
            }
        }
    }

    /// Waits for `prompt` and then until the line editor has switched the terminal out of
    /// canonical mode, so typed keys reach the editor rather than the kernel's line buffer.
    /// (On Linux the master side reports the terminal's modes.)
    func expectPrompt(_ prompt: String, timeout: Double = 20) throws {
        try expect(prompt, timeout: timeout)
        let deadline = Date().addingTimeInterval(timeout)
        var modes = termios()
        while tcgetattr(master, &modes) == 0, modes.c_lflag & tcflag_t(ICANON) != 0 {
            guard Date() < deadline else { throw NotebookTestError("the terminal never left canonical mode after \(prompt.debugDescription)") }
            _ = readAvailable(timeout: 0.01)
        }
    }

    /// Reads what is available within `timeout` seconds; false at the deadline or end of output.
    private func readAvailable(timeout: Double) -> Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(1, min(timeout, 1) * 1000)))
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        guard count > 0 else { return false }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        transcript += text
        pending += Self.plain(text)
        return true
    }

    /// `text` without ANSI escape sequences, bells and carriage returns.
    static func plain(_ text: String) -> String {
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            switch scalar {
            case "\u{1B}":
                guard let next = iterator.next() else { break }
                if next == "[" {
                    while let c = iterator.next(), !(("@"..."~").contains(c)) {}
                }
            case "\r", "\u{07}": continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Waits for the child to exit; returns its exit status, or nil at the deadline.
    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                return exitStatus
            }
            _ = readAvailable(timeout: 0.05)
        }
        return nil
    }
}

/// grantpt, unlockpt and ptsname_r: glibc has them, but Swift's Glibc module does not export them
/// (they sit behind _XOPEN_SOURCE), so they are looked up by name.
enum LibC {
    private static func function<T>(_ name: String, as type: T.Type) -> T {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("libc has no \(name)")
        }
        return unsafeBitCast(symbol, to: type)
    }

    static let grantpt = function("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlockpt = function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let ptsname = function("ptsname_r", as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self)
}
