import Foundation

/// The process's answer to Ctrl-C (SIGINT) and SIGTERM. There are two, and every command picks one:
///
/// - ``install(forcedExit:)``, for work that polls ``InterruptFlag/process`` (the notebook,
///   training, sampling, the Jupyter kernel): the signal sets the flag and the work stops at its
///   next check, keeping what it made (training saves its checkpoint). SIGTERM also asks the
///   process to end once stopped. The third signal no work answered ends the process (in the
///   kernel, SIGINT never does).
/// - ``installTerminating()``, for commands that do not poll (`convert`, `render`, `eval`): the
///   signal ends the process as it would by default.
///
/// Either way the temporary files being written (``AtomicFile``) are removed before the process
/// ends, so an interrupted write leaves neither a half-written target nor a hidden temporary.
public enum InterruptHandling {
    /// How many signals, none of them answered, end the process: the way out of work that never
    /// polls the flag.
    public static let forcedExitCount = 3

    /// SIGINT and SIGTERM set ``InterruptFlag/process`` (SIGTERM also records a termination
    /// request) and only that (async-signal-safe); with `forcedExit` the third unanswered one
    /// removes the temporaries in flight, writes a note and exits with status 128 + the signal's
    /// number.
    ///
    /// Without `forcedExit` (the Jupyter kernel, which a client interrupts with SIGINT and shuts
    /// down with SIGTERM) SIGINT only sets the flag, however often it comes, and SIGTERM ends the
    /// process as ``installTerminating()`` does.
    public static func install(forcedExit: Bool = true) {
        _ = InterruptFlag.process.isSet  // initialise the flag before a signal can reach it
        guard forcedExit else {
            installHandler { signalNumber in
                if signalNumber == SIGTERM { InterruptHandling.end(by: signalNumber) } else { InterruptFlag.process.set() }
            }
            return
        }
        installHandler { signalNumber in
            let flag = InterruptFlag.process
            let count = signalNumber == SIGTERM ? flag.requestTermination(by: signalNumber) : flag.signal()
            guard count >= InterruptHandling.forcedExitCount else { return }
            TemporaryFiles.removeAllInFlight()
            let note: StaticString = signalNumber == SIGTERM
                ? "\nhybridsign: stopped by SIGTERM sent three times\n" : "\nhybridsign: stopped by Ctrl-C pressed three times\n"
            _ = write(STDERR_FILENO, note.utf8Start, note.utf8CodeUnitCount)
            _exit(128 + signalNumber)
        }
    }

    /// SIGINT and SIGTERM remove the temporaries in flight, then end the process by the signal
    /// (its default action, so the exit status says which signal it was).
    public static func installTerminating() {
        installHandler { signalNumber in InterruptHandling.end(by: signalNumber) }
    }

    /// Removes the temporaries in flight and ends the process by `signalNumber`'s default action.
    /// Async-signal-safe: signal handlers call it.
    private static func end(by signalNumber: Int32) {
        TemporaryFiles.removeAllInFlight()
        signal(signalNumber, SIG_DFL)
        raise(signalNumber)  // delivered when the handler returns (the signal is blocked in it)
    }

    /// The exit status of a process ended by `signalNumber`, as shells report it: 128 + the number.
    public static func exitStatus(for signalNumber: Int32) -> Int32 { 128 + signalNumber }

    private static func installHandler(_ handler: @convention(c) (Int32) -> Void) {
        TemporaryFiles.prepareForSignals()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        // Each handler blocks both signals, so the two never run at once.
        sigaddset(&action.sa_mask, SIGINT)
        sigaddset(&action.sa_mask, SIGTERM)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }
}
