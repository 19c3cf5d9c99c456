import Synchronization

/// A flag that Ctrl-C (SIGINT) and SIGTERM set and running work polls: the notebook checks it
/// between statements and loop iterations and its long verbs every step or frame; training checks
/// it between steps, sampling between frames.
///
/// Setting it is async-signal-safe (one atomic add), so a signal handler may do it. The flag
/// counts the signals since it was last cleared, so a handler can give up on work that never
/// polls (see ``InterruptHandling``). SIGTERM also records that the process should end once the
/// work has stopped (``terminationSignal``), which clearing the flag does not forget.
public final class InterruptFlag: Sendable {
    /// The flag the process's signal handlers set.
    public static let process = InterruptFlag()

    private let pending = Atomic<Int>(0)
    private let termination = Atomic<Int32>(0)

    /// Creates a cleared flag.
    public init() {}

    /// Whether an interrupt is pending.
    public var isSet: Bool { pending.load(ordering: .relaxed) > 0 }

    /// Marks an interrupt as pending.
    public func set() { _ = signal() }

    /// Marks an interrupt as pending; returns how many are pending now, this one included.
    @discardableResult
    public func signal() -> Int { pending.add(1, ordering: .relaxed).newValue }

    /// Marks an interrupt as pending and records that the process should end with `signalNumber`
    /// (SIGTERM) once the running work has stopped; returns the pending count, as ``signal()``.
    @discardableResult
    public func requestTermination(by signalNumber: Int32) -> Int {
        termination.store(signalNumber, ordering: .relaxed)
        return signal()
    }

    /// The signal that asked the process to end (SIGTERM), if one did.
    public var terminationSignal: Int32? {
        let value = termination.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Clears the pending interrupts (before each cell); a termination request stays.
    public func clear() { pending.store(0, ordering: .relaxed) }
}
