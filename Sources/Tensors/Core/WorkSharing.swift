import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets the threads of one ``Parallel/concurrently(_:_:)`` call whose tasks are done take chunks
/// of the work the others are still doing, so uneven tasks finish together. The `paper` preset's
/// streaming pass runs its parts as two tasks, the face's expert against the body's and both
/// hands' (three experts, smaller products): the second ran ~0.8 ms a pass longer, with the first
/// core idle.
///
/// A task offers work in chunks (``share(chunks:_:)``) only while another thread waits to help;
/// both then claim chunks from one counter until none is left. A chunk must compute its outputs
/// whole (a range of a product's columns), so the results do not depend on who ran what.
final class WorkSharing: @unchecked Sendable {
    /// Tasks started and not finished.
    private let running = Atomic<Int>(0)
    /// Threads whose task is done, waiting for chunks.
    private let idle = Atomic<Int>(0)
    /// Threads waiting for chunks now.
    var idleThreads: Int { idle.load(ordering: .acquiring) }

    /// The work on offer, if any.
    private let offer = Mutex<SharedWork?>(nil)

    /// Runs `task` as one of the call's tasks on this thread, then helps the others until none is
    /// running. A task that has not started yet is not waited for (it may need this thread).
    func run(_ task: () -> Void) {
        running.add(1, ordering: .acquiringAndReleasing)
        Self.withCurrent(self, task)
        running.subtract(1, ordering: .acquiringAndReleasing)
        idle.add(1, ordering: .acquiringAndReleasing)
        defer { idle.subtract(1, ordering: .acquiringAndReleasing) }
        while running.load(ordering: .acquiring) > 0 {
            if let work = offer.withLock({ $0 }) { work.runChunks() } else { sched_yield() }
        }
    }

    /// Runs `work(0)`, …, `work(chunks − 1)`, with an idle thread of this call if there is one.
    /// Returns when every chunk is done, and no other thread holds `work` after it returns.
    func share(chunks: Int, _ work: (Int) -> Void) {
        guard chunks > 1, idle.load(ordering: .acquiring) > 0 else {
            for c in 0..<chunks { work(c) }
            return
        }
        withoutActuallyEscaping(work) { work in
            let shared = SharedWork(chunks: chunks, work: work)
            let posted = offer.withLock { slot -> Bool in
                guard slot == nil else { return false }
                slot = shared
                return true
            }
            shared.runChunks()
            if posted { offer.withLock { slot in if slot === shared { slot = nil } } }
            shared.finish()
        }
    }

    /// ``share(chunks:_:)`` over `0..<units`, a chunk being each range of `chunk` units in turn.
    func share(_ units: Int, inRangesOf chunk: Int, _ run: (Range<Int>) -> Void) {
        share(chunks: (units + chunk - 1) / chunk) { c in run((c * chunk)..<min(units, (c + 1) * chunk)) }
    }

    /// The sharing of the ``Parallel/concurrently(_:_:)`` task this thread runs, if any.
    static var current: WorkSharing? {
        pthread_getspecific(key).map { Unmanaged<WorkSharing>.fromOpaque($0).takeUnretainedValue() }
    }

    private static func withCurrent(_ sharing: WorkSharing, _ body: () -> Void) {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(sharing).toOpaque())
        defer { pthread_setspecific(key, previous) }
        body()
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}

/// Chunks of work claimed, one at a time, by the threads that run them.
///
/// The work is the offering task's own (non-escaping) closure: a thread runs a chunk only after
/// claiming it, and the task waits for every claimed chunk before it lets go of the closure
/// (``finish()``), so no thread calls it later, and none holds it then (`withoutActuallyEscaping`
/// checks that).
final class SharedWork: @unchecked Sendable {
    let chunks: Int
    /// Read by the threads that claimed a chunk, cleared by the offering task once all are done.
    private var work: ((Int) -> Void)?
    private let next = Atomic<Int>(0)
    private let done = Atomic<Int>(0)

    init(chunks: Int, work: @escaping (Int) -> Void) {
        self.chunks = chunks
        self.work = work
    }

    /// Claims and runs chunks until every chunk is claimed.
    func runChunks() {
        while true {
            let chunk = next.add(1, ordering: .acquiringAndReleasing).oldValue
            guard chunk < chunks else { return }
            run(chunk)
            // Releasing: the chunk's writes are visible to whoever sees it counted.
            done.add(1, ordering: .releasing)
        }
    }

    /// One chunk; its own function so the reference to the work it takes is released before the
    /// chunk is counted done.
    @inline(never)
    private func run(_ chunk: Int) { work?(chunk) }

    /// Waits for the chunks other threads claimed, then lets go of the work.
    func finish() {
        while done.load(ordering: .acquiring) < chunks { sched_yield() }
        work = nil
    }
}
