import XCTest
@testable import Tensors

final class ShapeDerivativeTests: XCTestCase {
    func testReshapePermuteTranspose() {
        let x = randomTensor([2, 3, 4], seed: 41)
        checkDerivatives([x]) { reshape($0[0], [4, -1]) * reshape($0[0], [4, 6]) }
        checkDerivatives([x]) { permute($0[0], [2, 0, 1]) * 1.5 }
        checkDerivatives([x]) { transpose($0[0], 0, 2) }
        let p = x.permuted([1, 2, 0])
        XCTAssertEqual(p.shape, [3, 4, 2])
        XCTAssertEqual(p[2, 1, 1], x[1, 2, 1])
    }

    func testSliceConcatSplit() {
        let x = randomTensor([3, 5], seed: 42), y = randomTensor([3, 2], seed: 43)
        checkDerivatives([x]) { slice($0[0], axis: 1, 1..<4) }
        checkDerivatives([x, y]) { concat([$0[0], $0[1]], axis: 1) }
        checkDerivatives([x]) { split($0[0], axis: 1, sizes: [2, 3])[1] * split($0[0], axis: 1, sizes: [3, 2])[0] }
        checkDerivatives([x]) { concat([$0[0], $0[0]], axis: 0) }
        let c = Tensor.concat([x, y], axis: 1)
        XCTAssertEqual(c.shape, [3, 7])
        XCTAssertEqual(c[2, 6], y[2, 1])
        XCTAssertEqual(c[1, 4], x[1, 4])
    }

    func testGather() {
        let x = randomTensor([2, 5, 3], seed: 48)
        checkDerivatives([x]) { gather($0[0], axis: 1, indices: [4, 0, 4, 2]) }
        let y = x.gathering(axis: 1, indices: [3, 1])
        XCTAssertEqual(y.shape, [2, 2, 3])
        XCTAssertEqual(y[1, 0, 2], x[1, 3, 2])
        XCTAssertEqual(y[0, 1, 0], x[0, 1, 0])
    }

    func testBroadcastOp() {
        checkDerivatives([randomTensor([3, 1], seed: 44)]) { broadcast($0[0], to: [2, 3, 4]) }
    }

    func testEmbedding() {
        let table = randomTensor([5, 3], seed: 45)
        checkDerivatives([table]) { embedding($0[0], ids: [4, 0, 4, 2]) }
        let y = embedding(Graph(recording: false).constant(table), ids: [2]).value
        XCTAssertEqual(y.scalars, Array(table.scalars[6..<9]))
    }

    func testMaskedMSE() {
        let p = randomTensor([2, 3, 2], seed: 46), t = randomTensor([2, 3, 2], seed: 47)
        let mask = Tensor(shape: [2, 3, 1], scalars: [1, 0, 1, 1, 1, 0])
        checkDerivatives([p, t]) { maskedMSE($0[0], $0[1], mask: mask) }
        let loss = maskedMSE(Graph(recording: false).constant(p), Graph(recording: false).constant(t), mask: mask).value.scalar
        var s: Float = 0
        for i in 0..<2 { for j in 0..<3 where mask[i, j, 0] > 0 { for c in 0..<2 { let d = p[i, j, c] - t[i, j, c]; s += d * d } } }
        XCTAssertEqual(loss, s / 8, accuracy: 1e-5)
        let zero = maskedMSE(Graph(recording: false).constant(p), Graph(recording: false).constant(t), mask: Tensor(zeros: [2, 3, 1])).value.scalar
        XCTAssertEqual(zero, 0)
    }

    func testSinCosEmbedding() {
        let t = Tensor(shape: [3], scalars: [0.1, 0.5, 0.9])
        checkDerivatives([t], epsilon: 1e-3) { sinCosEmbedding($0[0], dim: 8, maxPeriod: 100) }
        let e = sinCosEmbedding(positions: [2], dim: 4, maxPeriod: 100)
        XCTAssertEqual(e.scalars[0], Foundation.sin(2), accuracy: 1e-6)
        XCTAssertEqual(e.scalars[1], Foundation.sin(2 * 0.1), accuracy: 1e-6)
        XCTAssertEqual(e.scalars[2], Foundation.cos(2), accuracy: 1e-6)
    }
}
