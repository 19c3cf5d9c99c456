import Foundation
import XCTest
@testable import Tensors

/// A parameter's value packed for the few-row kernels (``PackedWeight``): `linear` uses it for the
/// products of its value and tangent and gives what the in-place product gives; the packing
/// follows every change of the value.
final class PackedWeightTests: XCTestCase {
    /// `x·Wᵀ + b` with W and b as constants (never packed: read in place).
    func unpacked(_ layer: Linear, _ x: Tensor) -> Tensor {
        let g = Graph(recording: false)
        return linear(g.constant(x), weight: g.constant(layer.weight.value), bias: layer.bias.map { g.constant($0.value) }).value
    }

    func testALinearLayerOnItsPackedWeightGivesTheInPlaceProduct() throws {
        let path = KernelPath.current
        guard path != .portable else { throw XCTSkip("the portable path packs nothing: this CPU lacks \(KernelPath.avx2.requirement)") }
        var rng = RandomGenerator(seed: 5)
        let layer = Linear(256, 70, rng: &rng)
        let x = rng.normal([3, 7, 256])
        XCTAssertTrue(RowTimesTransposed.usesPacked(on: path, m: 21, k: 256))
        let g = Graph(recording: false)
        // With a tangent too (the MeanFlow JVP's inputs): its product reads the same packing.
        let tx = rng.normal([3, 7, 256])
        let y = layer(g.input(x, tangent: tx))
        assertClose(y.value, unpacked(layer, x), tolerance: 1e-4)
        let zeroBias = Linear(weight: layer.weight.value, bias: Tensor(zeros: [70]))
        assertClose(try XCTUnwrap(y.tangent), unpacked(zeroBias, tx), tolerance: 1e-4)
        XCTAssertTrue(layer.weight.packed(for: path) === layer.weight.packed(for: path), "one packing per value")
    }

    func testThePackingFollowsEveryChangeOfTheValue() throws {
        let path = KernelPath.current
        guard path != .portable else { throw XCTSkip("the portable path packs nothing: this CPU lacks \(KernelPath.avx2.requirement)") }
        var rng = RandomGenerator(seed: 6)
        let layer = Linear(256, 40, rng: &rng)
        let x = rng.normal([9, 256])
        let g = Graph(recording: false)
        let before = layer(g.constant(x)).value
        let first = layer.weight.packed(for: path)
        layer.weight.assign(rng.normal([40, 256]))
        let after = layer(g.constant(x)).value
        XCTAssertFalse(layer.weight.packed(for: path) === first, "a new value is packed again")
        assertClose(after, unpacked(layer, x), tolerance: 1e-4)
        XCTAssertGreaterThan(zip(before.scalars, after.scalars).map { abs($0 - $1) }.max() ?? 0, 0.1)
        // An optimiser's in-place step changes the value too.
        layer.weight.setGrad(Tensor(repeating: 1, shape: [40, 256]))
        let optimizer = AdamW([(name: "weight", parameter: layer.weight)], learningRate: 0.1)
        optimizer.step()
        assertClose(layer(g.constant(x)).value, unpacked(layer, x), tolerance: 1e-4)
    }
}

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
    }
}
