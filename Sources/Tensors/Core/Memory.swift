import CBLAS

/// Process-wide memory behaviour.
public enum Memory {
    /// Makes freed tensor buffers stay in the process (glibc: no mmap for large blocks, no trimming),
    /// so the many short-lived large tensors of a training step reuse warm pages instead of
    /// page-faulting fresh ones. The process then keeps its peak heap size. Call once at start-up
    /// of long numeric runs (training, benchmarks); a no-op where glibc's `mallopt` is absent.
    public static func keepFreedBuffers() {
        #if os(Linux)
        hybridsign_keep_freed_memory()
        #endif
    }
}
