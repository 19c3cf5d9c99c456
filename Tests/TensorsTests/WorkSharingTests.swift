import Foundation
import XCTest
@testable import Tensors

/// ``WorkSharing``: a thread of `Parallel.concurrently` whose task is done runs chunks of the work
/// another task, still running, offers; every chunk runs exactly once.
final class WorkSharingTests: XCTestCase {
    /// Which thread ran each chunk (chunks run on several threads).
    final class Record: @unchecked Sendable {
        private let lock = NSLock()
        private var threads: [[UInt]]
        init(chunks: Int) { threads = [[UInt]](repeating: [], count: chunks) }
        func ran(_ chunk: Int) { lock.lock(); threads[chunk].append(UInt(pthread_self())); lock.unlock() }
        var runs: [[UInt]] { lock.lock(); defer { lock.unlock() }; return threads }
        var distinctThreads: Int { Set(runs.joined()).count }
    }

    func testAThreadWhoseTaskIsDoneRunsChunksOfAnother() throws {
        guard Parallel.workerCount > 1 else { throw XCTSkip("one core: there is no other thread to share with") }
        let chunks = 16
        let record = Record(chunks: chunks)
        var sawIdleHelper = false
        let started = Record(chunks: 1)
        let deadline = Date().addingTimeInterval(10)
        Parallel.concurrently(2) { task in
            // A thread helps only while another task runs: task 0 ends once task 1 has begun.
            guard task == 1, let sharing = WorkSharing.current else {
                while started.distinctThreads == 0 && Date() < deadline { sched_yield() }
                return
            }
            started.ran(0)
            // Wait (at most 10 s in all) for the other thread to finish its task and wait for work.
            while sharing.idleThreads == 0 && Date() < deadline { sched_yield() }
            sawIdleHelper = sharing.idleThreads > 0
            sharing.share(chunks: chunks) { c in
                record.ran(c)
                // Hold each chunk until a second thread has run one (within the 10 s), so the
                // helper gets its share however the threads are scheduled.
                while record.distinctThreads < 2 && Date() < deadline { sched_yield() }
            }
        }
        XCTAssertTrue(sawIdleHelper, "the thread of the finished task never waited for work")
        XCTAssertEqual(record.runs.map(\.count), [Int](repeating: 1, count: chunks), "every chunk runs exactly once")
        XCTAssertEqual(record.distinctThreads, 2, "both threads ran chunks")
    }

    func testOutsideSharingEveryChunkRunsInTurnOnTheCaller() {
        XCTAssertNil(WorkSharing.current)
        let record = Record(chunks: 5)
        WorkSharing().share(chunks: 5) { record.ran($0) }
        XCTAssertEqual(record.runs.map(\.count), [1, 1, 1, 1, 1])
        XCTAssertEqual(record.distinctThreads, 1)
        var ranges: [Range<Int>] = []
        WorkSharing().share(10, inRangesOf: 4) { ranges.append($0) }
        XCTAssertEqual(ranges, [0..<4, 4..<8, 8..<10])
    }
}
