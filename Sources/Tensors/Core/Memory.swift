import CBLAS

/// Process-wide memory behaviour.
public enum Memory {
    /// Makes freed tensor buffers stay in the process (glibc: one arena for every thread, no mmap
    /// for large blocks, no trimming), so the many short-lived large tensors of a training step
    /// reuse warm pages instead of page-faulting fresh ones: a `paper`-size step allocates ~10 GB,
    /// and faulting it afresh cost seconds of kernel time per step. The process then keeps its peak
    /// heap until ``releaseFreedBuffers()``. Call it first thing in `main`, before other threads
    /// allocate (the arena limit binds only threads that have not allocated yet); a no-op where
    /// glibc's `mallopt` is absent.
    public static func keepFreedBuffers() {
        #if os(Linux)
        hybridsign_keep_freed_memory()
        #endif
    }

    /// Gives the freed memory at the top of the heap back to the system (after a training run, so
    /// an idle session does not keep the run's peak).
    public static func releaseFreedBuffers() {
        #if os(Linux)
        hybridsign_release_freed_memory()
        #endif
    }
}
