import Glibc

/// Routes Ctrl-C (SIGINT) to ``InterruptFlag/process`` instead of ending the process.
public enum InterruptHandling {
    /// Installs the SIGINT handler. It only sets the flag (async-signal-safe). It is installed
    /// without `SA_RESTART`, so a blocking read in the line editor returns and the REPL can
    /// clear the line; running statements see the flag and stop.
    public static func install() {
        _ = InterruptFlag.process.isSet  // initialise the flag before a signal can reach it
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in InterruptFlag.process.set() }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}
