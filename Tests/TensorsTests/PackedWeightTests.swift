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
        var rng = RandomGenerator(seed: 5)
        // 210 rows: packed on both vector paths (AVX2 keeps its in-place kernel up to 160 rows).
        let layer = Linear(256, 70, rng: &rng)
        let x = rng.normal([3, 70, 256])
        XCTAssertEqual(RowTimesTransposed.usesPacked(on: path, m: 210, k: 256), path != .portable)
        let g = Graph(recording: false)
        // With a tangent too (the MeanFlow JVP's inputs): its product reads the same packing.
        let tx = rng.normal([3, 70, 256])
        XCTAssertNil(layer.weight.packing)
        let y = layer(g.input(x, tangent: tx))
        if path == .portable {
            XCTAssertNil(layer.weight.packing, "the portable path has no packed kernels")
        } else {
            XCTAssertEqual(layer.weight.packing?.version, layer.weight.version, "linear packed the weight")
        }
        assertClose(y.value, unpacked(layer, x), tolerance: 1e-4)
        let zeroBias = Linear(weight: layer.weight.value, bias: Tensor(zeros: [70]))
        assertClose(try XCTUnwrap(y.tangent), unpacked(zeroBias, tx), tolerance: 1e-4)
        if path != .portable {
            XCTAssertTrue(layer.weight.packed(for: path) === layer.weight.packed(for: path), "one packing per value")
        }
    }

    /// `x·Wᵀ + b` with the layer's weight packed for `path`.
    func packedProduct(_ layer: Linear, _ x: Tensor, on path: KernelPath) -> Tensor {
        let (m, k) = (x.shape[0], x.shape[1])
        let n = layer.weight.value.shape[0]
        let bias = layer.bias?.value ?? Tensor(zeros: [n])
        return Tensor(shape: [m, n]) { y in
            for r in 0..<m { for c in 0..<n { y[r * n + c] = bias.scalars[c] } }
            x.withUnsafeBufferPointer { xb in
                RowTimesTransposed.product(m: m, k: k, x: xb.baseAddress!, ldx: k, packed: layer.weight.packed(for: path),
                                           accumulate: true, y: y.baseAddress!, ldy: n)
            }
        }
    }

    func testThePackingFollowsEveryChangeOfTheValue() throws {
        // `make test` also forces the portable path, which packs nothing: the AVX2 kernels then
        // run when the CPU has them.
        let path = KernelPath.current == .portable && KernelPath.avx2.isSupported ? .avx2 : KernelPath.current
        guard path != .portable else { throw XCTSkip("no packed kernels: this CPU lacks \(KernelPath.avx2.requirement)") }
        var rng = RandomGenerator(seed: 6)
        let layer = Linear(256, 40, rng: &rng)
        let x = rng.normal([20, 256])
        let before = packedProduct(layer, x, on: path)
        assertClose(before, unpacked(layer, x), tolerance: 1e-4)
        let first = layer.weight.packed(for: path)
        layer.weight.assign(rng.normal([40, 256]))
        XCTAssertFalse(layer.weight.packed(for: path) === first, "a new value is packed again")
        let after = packedProduct(layer, x, on: path)
        assertClose(after, unpacked(layer, x), tolerance: 1e-4)
        XCTAssertGreaterThan(zip(before.scalars, after.scalars).map { abs($0 - $1) }.max() ?? 0, 0.1)
        // An optimiser's in-place step changes the value too.
        layer.weight.setGrad(Tensor(repeating: 1, shape: [40, 256]))
        let optimizer = AdamW([(name: "weight", parameter: layer.weight)], learningRate: 0.1)
        optimizer.step()
        assertClose(packedProduct(layer, x, on: path), unpacked(layer, x), tolerance: 1e-4)
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
