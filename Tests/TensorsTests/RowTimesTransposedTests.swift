import Foundation
import XCTest
@testable import Tensors

/// The few-row `X·Wᵀ` kernel behind `BLAS.gemm(transposeB:)` against a double-precision reference,
/// over shapes that hit every tile edge (rows not a multiple of 4, columns not of 6, K not of 16),
/// leading dimensions wider than the rows, accumulation (β = 1), and the split over the cores.
/// These run on the process's kernel path; `KernelPathTests` runs the same checks on every path.
final class RowTimesTransposedTests: XCTestCase {
    /// `BLAS.gemm(transposeB: true)` on `path` against the reference.
    /// With `packed`, W is packed for `path` (``PackedWeight``) and multiplied by the packed kernels.
    static func check(on path: KernelPath = .current, m: Int, n: Int, k: Int, pad: Int = 0, accumulate: Bool = false,
                      packed: Bool = false, seed: UInt64 = 1, file: StaticString = #filePath, line: UInt = #line) {
        var rng = RandomGenerator(seed: seed)
        let (ldx, ldw, ldy) = (k + pad, packed ? k : k + 2 * pad, n + pad)
        let x = rng.normal([m * ldx]).scalars, w = rng.normal([n * ldw]).scalars
        let start = rng.normal([m * ldy]).scalars
        var y = start
        let packing = packed ? PackedWeight(Tensor(shape: [n, k], scalars: w), for: path) : nil
        x.withUnsafeBufferPointer { xb in
            w.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer { yb in
                    if let packing {
                        RowTimesTransposed.product(m: m, k: k, x: xb.baseAddress!, ldx: ldx, packed: packing,
                                                   accumulate: accumulate, y: yb.baseAddress!, ldy: ldy)
                    } else {
                        BLAS.gemm(on: path, transposeB: true, m: m, n: n, k: k, a: xb.baseAddress!, lda: ldx, b: wb.baseAddress!, ldb: ldw,
                                  beta: accumulate ? 1 : 0, c: yb.baseAddress!, ldc: ldy)
                    }
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<ldy {
                var expected = Double(start[i * ldy + j])
                // Float32 sums of k products err in proportion to Σ|xᵢ·wᵢ|, not to the (possibly
                // cancelled) result, and how much depends on the summation order of the path taken.
                var magnitude = abs(expected)
                if j < n {
                    var dot = 0.0
                    for p in 0..<k {
                        let product = Double(x[i * ldx + p]) * Double(w[j * ldw + p])
                        dot += product
                        magnitude += abs(product)
                    }
                    expected = (accumulate ? expected : 0) + dot
                }
                // Columns past n (the padding of a wider ldy) must be left alone.
                worst = max(worst, abs(Double(y[i * ldy + j]) - expected) / max(1, magnitude))
            }
        }
        XCTAssertLessThan(worst, 1e-5, "\(path)\(packed ? " packed" : ""): \(m)×\(n)×\(k) pad \(pad) accumulate \(accumulate)",
                          file: file, line: line)
    }

    func check(m: Int, n: Int, k: Int, pad: Int = 0, accumulate: Bool = false, seed: UInt64 = 1,
               file: StaticString = #filePath, line: UInt = #line) {
        Self.check(m: m, n: n, k: k, pad: pad, accumulate: accumulate, seed: seed, file: file, line: line)
    }

    func testEdgeShapes() {
        for m in [5, 6, 7, 8, 9, 13] {
            for n in [1, 5, 6, 7, 13] {
                for k in [1, 15, 16, 17, 40] { check(m: m, n: n, k: k) }
            }
        }
    }

    func testLeadingDimensionsAndAccumulation() {
        check(m: 9, n: 14, k: 35, pad: 3)
        check(m: 9, n: 14, k: 35, pad: 3, accumulate: true)
        check(m: 21, n: 50, k: 64, accumulate: true)
    }

    func testProductLargeEnoughToSplitOverCores() {
        // 70 × 300 × 256 ≈ 5.4 M multiply-adds: above the split threshold, 300 columns = 50 tiles.
        check(m: 70, n: 300, k: 256, seed: 2)
        check(m: 25, n: 1537, k: 512, accumulate: true, seed: 3)
        Parallel.concurrently(2) { _ in self.check(m: 70, n: 300, k: 256, seed: 4) }
    }

    func testConcurrentTasksRunNestedLoopsInline() {
        XCTAssertFalse(Parallel.isInsideTask)
        var inside = [Bool](repeating: false, count: 2)
        var nestedInside = [Bool](repeating: false, count: 2)
        inside.withUnsafeMutableBufferPointer { flags in
            nestedInside.withUnsafeMutableBufferPointer { nested in
                Parallel.concurrently(2) { i in
                    flags[i] = Parallel.isInsideTask
                    Parallel.forChunks(1 << 20) { _ in nested[i] = Parallel.isInsideTask }
                }
            }
        }
        if Parallel.workerCount > 1 {
            XCTAssertEqual(inside, [true, true])
            XCTAssertEqual(nestedInside, [true, true], "a loop inside a task runs on the task's thread")
        }
        XCTAssertFalse(Parallel.isInsideTask)
    }
}

/// The AVX-512 row kernels of one-query attention: `Y = β·Y + A·B` for a few rows of A (columns
/// beyond one 128-wide block, masked tails) and the row softmax (−∞ entries, all-−∞ rows).
final class RowKernelTests: XCTestCase {
    func testFewRowProductsMatchReference() {
        Self.checkFewRowProducts()
    }

    func testSoftmaxRows() {
        Self.checkSoftmaxRows()
    }

    /// `BLAS.gemm` (A·B, m ≤ 4) on `path` against the reference, with shapes around the vector widths.
    static func checkFewRowProducts(on path: KernelPath = .current) {
        var rng = RandomGenerator(seed: 9)
        for (m, n, k) in [(1, 128, 60), (1, 7, 3), (3, 130, 17), (4, 300, 33), (2, 16, 1), (1, 69, 9), (2, 112, 5), (1, 32, 40), (3, 9, 8), (4, 65, 7), (2, 63, 16)] {
            for beta: Float in [0, 1] {
                let ldb = n + 3, ldc = n + 2
                let a = rng.normal([m * k]).scalars, b = rng.normal([k * ldb]).scalars
                let start = rng.normal([m * ldc]).scalars
                var c = start
                a.withUnsafeBufferPointer { ab in
                    b.withUnsafeBufferPointer { bb in
                        c.withUnsafeMutableBufferPointer { cb in
                            BLAS.gemm(on: path, m: m, n: n, k: k, a: ab.baseAddress!, b: bb.baseAddress!, ldb: ldb,
                                      beta: beta, c: cb.baseAddress!, ldc: ldc)
                        }
                    }
                }
                for i in 0..<m {
                    for j in 0..<ldc {
                        var expected = Double(start[i * ldc + j])
                        if j < n {
                            var sum = 0.0
                            for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * ldb + j]) }
                            expected = Double(beta) * expected + sum
                        }
                        XCTAssertEqual(Double(c[i * ldc + j]), expected, accuracy: 1e-4 * max(1, abs(expected)),
                                       "\(path): \(m)×\(n)×\(k) β \(beta) at [\(i), \(j)]")
                    }
                }
            }
        }
    }

    /// `RowKernels.softmax` on `path` against the reference: lengths around the vector widths,
    /// −∞ entries, a fully masked row.
    static func checkSoftmaxRows(on path: KernelPath = .current) {
        for n in [1, 5, 7, 8, 9, 15, 16, 17, 24, 137] {
            var rng = RandomGenerator(seed: UInt64(n))
            var x = (rng.normal([n]) * 4).scalars
            if n > 2 { x[1] = -.infinity }
            var y = [Float](repeating: .nan, count: n)
            RowKernels.softmax(x, &y, n, on: path)
            let m = x.max()!
            let e = x.map { $0 == -.infinity ? 0 : Foundation.exp(Double($0 - m)) }
            let total = e.reduce(0, +)
            for i in 0..<n { XCTAssertEqual(Double(y[i]), e[i] / total, accuracy: 1e-6, "\(path): n \(n) at \(i)") }
        }
        var y = [Float](repeating: .nan, count: 20)
        RowKernels.softmax([Float](repeating: -.infinity, count: 20), &y, 20, on: path)
        XCTAssertEqual(y, [Float](repeating: 0, count: 20), "\(path): a fully masked row is zeros")
    }
}
