import Synchronization

/// A flag that Ctrl-C sets and running work polls: the interpreter checks it between statements
/// and loop iterations, long verbs check it every step (``VerbContext/checkInterrupt()``).
///
/// Setting it is async-signal-safe (one atomic add), so a SIGINT handler may do it. The flag
/// counts the interrupts since it was last cleared, so a handler can give up on work that never
/// polls (see ``InterruptHandling``).
public final class InterruptFlag: Sendable {
    /// The flag the process's SIGINT handler sets.
    public static let process = InterruptFlag()

    private let pending = Atomic<Int>(0)

    /// Creates a cleared flag.
    public init() {}

    /// Whether an interrupt is pending.
    public var isSet: Bool { pending.load(ordering: .relaxed) > 0 }

    /// Marks an interrupt as pending.
    public func set() { _ = signal() }

    /// Marks an interrupt as pending; returns how many are pending now, this one included.
    @discardableResult
    public func signal() -> Int { pending.add(1, ordering: .relaxed).newValue }

    /// Clears the flag (before each cell).
    public func clear() { pending.store(0, ordering: .relaxed) }
}
