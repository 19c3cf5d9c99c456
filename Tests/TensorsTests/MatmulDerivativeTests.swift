import XCTest
@testable import Tensors

final class MatmulDerivativeTests: XCTestCase {
    /// Naive reference product for `[M, K] · [K, N]`.
    func naive(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var out = Tensor(zeros: [m, n])
        for i in 0..<m { for j in 0..<n { var s: Float = 0; for p in 0..<k { s += a[i, p] * b[p, j] }; out[i, j] = s } }
        return out
    }

    func testMatmulValues() {
        let a = randomTensor([3, 4], seed: 21), b = randomTensor([4, 5], seed: 22)
        assertClose(Tensor.matmul(a, b), naive(a, b))
        assertClose(Tensor.matmul(a.permuted([1, 0]), b, transposeA: true), naive(a, b))
        assertClose(Tensor.matmul(a, b.permuted([1, 0]), transposeB: true), naive(a, b))
        let batched = Tensor.matmul(randomTensor([2, 3, 4], seed: 23), b)
        assertClose(batched.slice(axis: 0, 1..<2).reshaped([3, 5]), naive(randomTensor([2, 3, 4], seed: 23).slice(axis: 0, 1..<2).reshaped([3, 4]), b))
    }

    /// Both code paths: few rows (direct loops) and many rows (sgemm), all transpositions, β accumulation.
    func testGemmPathsAgree() {
        for m in [1, 3, 4, 5, 9] {
            let a = randomTensor([m, 6], seed: UInt64(m)), b = randomTensor([6, 7], seed: 99)
            let reference = naive(a, b)
            assertClose(Tensor.matmul(a, b), reference)
            assertClose(Tensor.matmul(a, b.permuted([1, 0]), transposeB: true), reference)
            assertClose(Tensor.matmul(a.permuted([1, 0]), b, transposeA: true), reference)
            assertClose(Tensor.matmul(a.permuted([1, 0]), b.permuted([1, 0]), transposeA: true, transposeB: true), reference)
            var c = Tensor(repeating: 1, shape: [m, 7])
            a.withUnsafeBufferPointer { ab in b.withUnsafeBufferPointer { bb in c.withUnsafeMutableBufferPointer { cb in
                BLAS.gemm(m: m, n: 7, k: 6, alpha: 2, a: ab.baseAddress!, b: bb.baseAddress!, beta: 0.5, c: cb.baseAddress!)
            } } }
            assertClose(c, reference * 2 + 0.5)
        }
    }

    func testMatmulLarger() {
        checkDerivatives([randomTensor([2, 7, 5], seed: 35), randomTensor([2, 5, 6], seed: 36)]) { matmul($0[0], $0[1]) }
        checkDerivatives([randomTensor([9, 5], seed: 37), randomTensor([6, 5], seed: 38)]) { matmul($0[0], $0[1], transposeB: true) }
        checkDerivatives([randomTensor([3, 6, 5], seed: 39), randomTensor([7, 5], seed: 40), randomTensor([7], seed: 41)]) {
            linear($0[0], weight: $0[1], bias: $0[2])
        }
    }

    func testMatmul2D() {
        let a = randomTensor([3, 4], seed: 24), b = randomTensor([4, 2], seed: 25)
        checkDerivatives([a, b]) { matmul($0[0], $0[1]) }
        checkDerivatives([a, b.permuted([1, 0])]) { matmul($0[0], $0[1], transposeB: true) }
        checkDerivatives([a.permuted([1, 0]), b]) { matmul($0[0], $0[1], transposeA: true) }
        checkDerivatives([a.permuted([1, 0]), b.permuted([1, 0])]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) }
    }

    func testMatmulBatched() {
        let a = randomTensor([2, 3, 3, 4], seed: 26), b = randomTensor([2, 3, 4, 2], seed: 27)
        checkDerivatives([a, b]) { matmul($0[0], $0[1]) }
        checkDerivatives([a, b.permuted([0, 1, 3, 2])]) { matmul($0[0], $0[1], transposeB: true) }
        checkDerivatives([a.permuted([0, 1, 3, 2]), b]) { matmul($0[0], $0[1], transposeA: true) }
    }

    func testMatmulSharedOperand() {
        let a = randomTensor([2, 3, 4], seed: 28), w = randomTensor([4, 2], seed: 29)
        checkDerivatives([a, w]) { matmul($0[0], $0[1]) }
        checkDerivatives([a, w.permuted([1, 0])]) { matmul($0[0], $0[1], transposeB: true) }
        checkDerivatives([a.permuted([0, 2, 1]), w]) { matmul($0[0], $0[1], transposeA: true) }
        let left = randomTensor([3, 4], seed: 30), right = randomTensor([2, 4, 5], seed: 31)
        checkDerivatives([left, right]) { matmul($0[0], $0[1]) }
    }

    func testLinear() {
        let x = randomTensor([2, 3, 4], seed: 32), w = randomTensor([5, 4], seed: 33), b = randomTensor([5], seed: 34)
        checkDerivatives([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
        checkDerivatives([x, w]) { linear($0[0], weight: $0[1]) }
        let y = linear(Graph(recording: false).constant(x.reshaped([6, 4])), weight: Graph(recording: false).constant(w),
                       bias: Graph(recording: false).constant(b)).value
        assertClose(y, naive(x.reshaped([6, 4]), w.permuted([1, 0])) + b)
    }
}
