import CBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits work over the machine's cores and keeps OpenBLAS's own threads from oversubscribing them.
public enum Parallel {
    /// Number of worker threads used for large loops (the number of active cores).
    public static let workerCount: Int = max(1, System.activeProcessorCount)

    /// Runs `body` over `0..<count` in contiguous chunks, on all cores when `count * costPerItem`
    /// is large enough to pay for the hand-off (about 32k cheap operations), else inline.
    @inline(__always)
    public static func forChunks(_ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void) {
        let workers = workerCount
        if workers <= 1 || count < 2 || count * costPerItem < 32_768 || isInsideTask {
            if count > 0 { body(0..<count) }
            return
        }
        let chunks = min(workers, count)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = count * c / chunks, hi = count * (c + 1) / chunks
                if lo < hi { markedAsTask { work.value(lo..<hi) } }
            }
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, spread over the cores with OpenBLAS limited to one
    /// thread inside (for loops of independent small matrix products). Inside a task of
    /// ``concurrently(_:_:)`` it runs on the task's thread, shared with a thread whose task is done.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        let workers = workerCount
        if let sharing = WorkSharing.current {
            // Inside a task of `concurrently`: in ~16 chunks, for a core whose task is done.
            sharing.share(count, inRangesOf: max(1, count / 16)) { range in for i in range { body(i) } }
            return
        }
        if workers <= 1 || count < 2 || isInsideTask {
            for i in 0..<count { body(i) }
            return
        }
        withSingleThreadedBLAS {
            let chunks = min(workers, count)
            withoutActuallyEscaping(body) { body in
                let work = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = count * c / chunks, hi = count * (c + 1) / chunks
                    markedAsTask { for i in lo..<hi { work.value(i) } }
                }
            }
        }
    }

    /// Runs `body(0)`, …, `body(tasks − 1)` at the same time, one per thread, with OpenBLAS limited
    /// to one thread and every ``forChunks(_:costPerItem:_:)`` inside running inline on its task's
    /// thread (for a few coarse, independent pieces of work, such as the per-part expert blocks of
    /// a streaming pass). A thread whose task is done helps the others with the work they offer
    /// (``WorkSharing``: ``forEach(_:_:)`` loops and the vector kernels' products). Runs them in
    /// turn on a single core or when called from inside another task.
    public static func concurrently(_ tasks: Int, _ body: (Int) -> Void) {
        if workerCount <= 1 || tasks < 2 || isInsideTask {
            for i in 0..<tasks { body(i) }
            return
        }
        let sharing = WorkSharing()
        withSingleThreadedBLAS {
            withoutActuallyEscaping(body) { body in
                let work = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: tasks) { i in
                    markedAsTask { sharing.run { work.value(i) } }
                }
            }
        }
    }

    /// Whether this thread is running a piece of a parallel loop or task (nested loops then run
    /// inline: the cores are already busy).
    public static var isInsideTask: Bool { pthread_getspecific(taskKey) != nil }

    /// The thread-specific slot that marks a thread running a task (set only for its duration).
    static let taskKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    @inline(__always)
    static func markedAsTask(_ body: () -> Void) {
        let previous = pthread_getspecific(taskKey)
        pthread_setspecific(taskKey, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(taskKey, previous) }
        body()
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
