import Glibc

/// Routes Ctrl-C (SIGINT) to ``InterruptFlag/process`` instead of ending the process.
public enum InterruptHandling {
    /// How many Ctrl-C presses, none of them answered, end the process: the way out of work that
    /// never polls the flag.
    public static let forcedExitCount = 3

    /// Installs the SIGINT handler. It only counts the interrupt (async-signal-safe); running
    /// statements see the flag and stop, the line editor drops the line. With `forcedExit` (a
    /// terminal's Ctrl-C) the third unanswered interrupt writes a note and exits with status 130;
    /// without it (the Jupyter kernel, which a client interrupts with SIGINT) the process never
    /// exits on SIGINT.
    public static func install(forcedExit: Bool = true) {
        _ = InterruptFlag.process.isSet  // initialise the flag before a signal can reach it
        var action = sigaction()
        if forcedExit {
            action.__sigaction_handler.sa_handler = { _ in
                if InterruptFlag.process.signal() >= InterruptHandling.forcedExitCount {
                    let note: StaticString = "\nhybridsign: stopped by Ctrl-C pressed three times\n"
                    _ = write(STDERR_FILENO, note.utf8Start, note.utf8CodeUnitCount)
                    _exit(130)
                }
            }
        } else {
            action.__sigaction_handler.sa_handler = { _ in InterruptFlag.process.set() }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}
