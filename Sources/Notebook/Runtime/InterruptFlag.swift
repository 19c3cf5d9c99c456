import Synchronization

/// A flag that Ctrl-C sets and running work polls: the interpreter checks it between statements
/// and loop iterations, long verbs check it every step (``VerbContext/checkInterrupt()``).
///
/// Setting it is async-signal-safe (one atomic store), so a SIGINT handler may do it.
public final class InterruptFlag: Sendable {
    /// The flag the process's SIGINT handler sets.
    public static let process = InterruptFlag()

    private let state = Atomic<Bool>(false)

    /// Creates a cleared flag.
    public init() {}

    /// Whether an interrupt is pending.
    public var isSet: Bool { state.load(ordering: .relaxed) }

    /// Marks an interrupt as pending.
    public func set() { state.store(true, ordering: .relaxed) }

    /// Clears the flag (before each cell).
    public func clear() { state.store(false, ordering: .relaxed) }
}
