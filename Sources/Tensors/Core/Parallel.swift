import CBLAS
import Dispatch

/// Splits work over the machine's cores and keeps OpenBLAS's own threads from oversubscribing them.
public enum Parallel {
    /// Number of worker threads used for large loops (the number of active cores).
    public static let workerCount: Int = max(1, System.activeProcessorCount)

    /// Runs `body` over `0..<count` in contiguous chunks, on all cores when `count * costPerItem`
    /// is large enough to pay for the hand-off (about 32k cheap operations), else inline.
    @inline(__always)
    public static func forChunks(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        let workers = workerCount
        if workers <= 1 || count < 2 || count * costPerItem < 32_768 {
            if count > 0 { body(0..<count) }
            return
        }
        let chunks = min(workers, count)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = count * c / chunks, hi = count * (c + 1) / chunks
                if lo < hi { work.value(lo..<hi) }
            }
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, spread over the cores with OpenBLAS limited to one
    /// thread inside (for loops of independent small matrix products).
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        let workers = workerCount
        if workers <= 1 || count < 2 {
            for i in 0..<count { body(i) }
            return
        }
        withSingleThreadedBLAS {
            let chunks = min(workers, count)
            withoutActuallyEscaping(body) { body in
                let work = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = count * c / chunks, hi = count * (c + 1) / chunks
                    for i in lo..<hi { work.value(i) }
                }
            }
        }
    }

    /// OpenBLAS's thread count outside parallel regions (read once, at first use).
    static let blasThreads: Int32 = openblas_get_num_threads()

    /// Runs `body` with OpenBLAS restricted to one thread, then restores ``blasThreads`` (a fixed
    /// value rather than "the previous count", so overlapping regions can never leave it at 1).
    public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        let configured = blasThreads
        if configured > 1 { openblas_set_num_threads(1) }
        defer { if configured > 1 { openblas_set_num_threads(configured) } }
        return try body()
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`: the callers' closures write disjoint
/// ranges of buffers that outlive the call, which is what makes this safe.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The number of online processors, read once.
enum System {
    static let activeProcessorCount: Int = {
        #if os(Linux)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return Int(sysconf(_SC_NPROCESSORS_ONLN))
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
