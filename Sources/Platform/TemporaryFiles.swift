import Foundation
import Synchronization

/// The temporary files ``AtomicFile`` writes beside their targets: their names, the ones in flight
/// (so a signal handler can remove them before the process ends), and the stale ones a killed
/// process left behind.
///
/// A temporary of `dir/name` is `dir/.name.tmp-PID-N`: hidden, in the target's directory (so the
/// final `rename(2)` is atomic), and carrying the writer's process id, which tells a stale one
/// (its process is gone) from one another process is still writing.
public enum TemporaryFiles {
    /// How many writes can be in flight at once with signal clean-up; a write beyond that still
    /// works, and a temporary it leaves behind is removed as stale by the next write of its target.
    static let slotCount = 64
    /// The longest temporary path (bytes, with the terminating NUL) a slot holds.
    static let pathCapacity = Int(PATH_MAX)

    /// The hidden name prefix of `name`'s temporaries: `.name.tmp-`, the name cut (at a character
    /// boundary) so that prefix, process id and counter stay within a file name's 255 bytes.
    static func prefix(of name: String) -> String {
        var kept = ""
        var bytes = 0
        for scalar in name.unicodeScalars {
            bytes += String(scalar).utf8.count
            if bytes > 200 { break }
            kept.unicodeScalars.append(scalar)
        }
        return "." + kept + ".tmp-"
    }

    /// A fresh temporary path for `target` in `directory`.
    static func path(for target: String, in directory: String) -> String {
        let number = counter.add(1, ordering: .relaxed).newValue
        return directory + "/" + prefix(of: target) + "\(getpid())-\(number)"
    }

    private static let counter = Atomic<Int>(0)

    /// Removes the temporaries of `name` in `directory` whose writing process no longer runs
    /// (killed before it could clean up). Temporaries of running processes, this one's included,
    /// are left alone. Returns how many were removed.
    @discardableResult
    public static func removeStale(of name: String, in directory: String) -> Int {
        guard let stream = opendir(directory) else { return 0 }
        defer { closedir(stream) }
        let prefix = prefix(of: name)
        let ownProcess = getpid()
        var removed = 0
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix), let process = writer(of: entryName.dropFirst(prefix.count)),
                  process != ownProcess, !isRunning(process) else { continue }
            if unlink(directory + "/" + entryName) == 0 { removed += 1 }
        }
        return removed
    }

    /// The process id in a temporary's suffix `PID-N`, or nil when the suffix has another form.
    private static func writer(of suffix: Substring) -> pid_t? {
        let parts = suffix.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let process = pid_t(parts[0]), process > 0 else { return nil }
        return process
    }

    private static func isRunning(_ process: pid_t) -> Bool {
        kill(process, 0) == 0 || errno == EPERM
    }

    // MARK: - In flight

    /// Records `path` as a temporary being written, so that ``removeAllInFlight()`` deletes it if
    /// the process is ended by a signal. Returns the slot to pass to ``finish(_:)``, or nil when
    /// every slot is taken or the path is too long (the write then goes ahead without it).
    static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard bytes.count < pathCapacity, !bytes.contains(0) else { return nil }
        let table = InFlightTable.shared
        for slot in 0..<slotCount {
            let state = table.states[slot].load(ordering: .acquiring)
            guard state & InFlightTable.claimed == 0 else { continue }
            let (exchanged, _) = table.states[slot].compareExchange(
                expected: state, desired: state | InFlightTable.claimed, ordering: .acquiringAndReleasing)
            guard exchanged else { continue }
            let buffer = table.paths + slot * pathCapacity
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress!, byteCount: source.count)
            }
            buffer[bytes.count] = 0
            // A new generation with both bits: the path is complete and may be read.
            table.states[slot].store(((state >> 2) + 1) << 2 | InFlightTable.claimed | InFlightTable.readable, ordering: .releasing)
            return slot
        }
        return nil
    }

    /// Frees a slot from ``register(_:)`` once its temporary is renamed or removed.
    static func finish(_ slot: Int?) {
        guard let slot else { return }
        let states = InFlightTable.shared.states
        let state = states[slot].load(ordering: .relaxed)
        states[slot].store(((state >> 2) + 1) << 2, ordering: .releasing)
    }

    /// Deletes every temporary in flight. Async-signal-safe once ``prepareForSignals()`` has run
    /// (atomic loads, a copy into a buffer made beforehand, `unlink`): the signal handlers of
    /// ``InterruptHandling`` call it just before the process ends.
    public static func removeAllInFlight() {
        let table = InFlightTable.shared
        for slot in 0..<slotCount {
            let before = table.states[slot].load(ordering: .acquiring)
            guard before & InFlightTable.readable != 0 else { continue }
            table.scratch.update(from: table.paths + slot * pathCapacity, count: pathCapacity)
            // Unchanged generation: the copy is the whole path of a temporary still in flight.
            guard table.states[slot].load(ordering: .acquiring) == before else { continue }
            unlink(table.scratch)
        }
    }

    /// Makes the table before any signal handler may read it (allocation is not async-signal-safe).
    static func prepareForSignals() {
        InFlightTable.install()
    }
}

/// Fixed storage for the paths in flight, allocated once and never freed, so that a signal handler
/// can read it without allocating or locking. Each slot's state word is a seqlock: bit 0 claimed,
/// bit 1 path readable, the rest a generation that changes on every claim and release.
private final class InFlightTable: Sendable {
    static let claimed: UInt64 = 1
    static let readable: UInt64 = 2

    nonisolated(unsafe) let states: UnsafeMutablePointer<Atomic<UInt64>>
    nonisolated(unsafe) let paths: UnsafeMutablePointer<CChar>
    /// Where the signal handler copies a path before unlinking it (handlers do not nest: each
    /// blocks both signals it serves).
    nonisolated(unsafe) let scratch: UnsafeMutablePointer<CChar>

    private init() {
        states = .allocate(capacity: TemporaryFiles.slotCount)
        for slot in 0..<TemporaryFiles.slotCount { (states + slot).initialize(to: Atomic(0)) }
        paths = .allocate(capacity: TemporaryFiles.slotCount * TemporaryFiles.pathCapacity)
        paths.initialize(repeating: 0, count: TemporaryFiles.slotCount * TemporaryFiles.pathCapacity)
        scratch = .allocate(capacity: TemporaryFiles.pathCapacity)
        scratch.initialize(repeating: 0, count: TemporaryFiles.pathCapacity)
    }

    /// The table. Made by ``TemporaryFiles/prepareForSignals()`` when a handler is installed, so a
    /// handler never runs its (allocating) initialiser.
    static let shared = InFlightTable()

    static func install() { _ = shared }
}
