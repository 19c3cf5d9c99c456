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
