import XCTest
@testable import Tensors

final class ElementwiseDerivativeTests: XCTestCase {
    func testBroadcastArithmetic() {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([4], seed: 2), c = randomTensor([3, 1], seed: 3)
        checkDerivatives([a, b]) { $0[0] + $0[1] }
        checkDerivatives([a, c]) { $0[0] - $0[1] }
        checkDerivatives([c, a]) { $0[0] - $0[1] }
        checkDerivatives([a, b]) { $0[0] * $0[1] }
        checkDerivatives([c, b]) { $0[0] * $0[1] }  // [3,1] * [4] -> [3,4]
        let positive = Tensor(shape: [4], scalars: [1.5, 2.0, 0.8, 3.0])
        checkDerivatives([a, positive]) { $0[0] / $0[1] }
        checkDerivatives([positive, a]) { $0[1] / $0[0] }
        checkDerivatives([a, Tensor(0.7)]) { $0[0] * $0[1] }  // scalar broadcast
    }

    func testScalarArithmetic() {
        let a = randomTensor([2, 3], seed: 4)
        let c = randomTensor([3], seed: 9), positive = Tensor(shape: [3], scalars: [1, 2, 3])
        checkDerivatives([a]) { ($0[0] + c) * c - c / positive }
        checkDerivatives([a]) { c - c * $0[0] + $0[0] / positive }
        checkDerivatives([a]) { $0[0] * 2.5 + 1 }
        checkDerivatives([a]) { 3 - $0[0] / 4 }
        checkDerivatives([a]) { -$0[0] }
    }

    func testUnaryFunctions() {
        let a = randomTensor([2, 5], seed: 5)
        let positive = Elementwise.map(a) { Swift.abs($0) + 0.5 }
        checkDerivatives([a]) { exp($0[0]) }
        checkDerivatives([positive]) { log($0[0]) }
        checkDerivatives([positive]) { sqrt($0[0]) }
        checkDerivatives([a]) { square($0[0]) }
        checkDerivatives([a]) { tanh($0[0]) }
        checkDerivatives([a]) { sigmoid($0[0]) }
        checkDerivatives([a]) { silu($0[0]) }
        checkDerivatives([a * 2]) { gelu($0[0]) }
        // Kinks at 0 are avoided: every |element| ≥ 0.5.
        let away = Elementwise.map(a) { $0 >= 0 ? $0 + 0.5 : $0 - 0.5 }
        checkDerivatives([away]) { relu($0[0]) }
        checkDerivatives([away]) { abs($0[0]) }
    }

    func testUnaryValues() {
        let xs: [Float] = [-30, -5, -1, -0.3, -0.001, 0, 0.002, 0.5, 2, 9, 40]
        for x in xs {
            XCTAssertEqual(Fast.exp(x), Foundation.exp(x), accuracy: Foundation.exp(x) * 3e-7, "exp(\(x))")
            XCTAssertEqual(Fast.tanh(x), Foundation.tanh(x), accuracy: 2e-7 + Swift.abs(Foundation.tanh(x)) * 1e-6, "tanh(\(x))")
            let gelu = 0.5 * x * (1 + Foundation.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))
            XCTAssertEqual(Fast.gelu(x), gelu, accuracy: 1e-5 * max(1, Swift.abs(gelu)), "gelu(\(x))")
        }
        XCTAssertEqual(Fast.exp(-.infinity), 0)
        XCTAssertEqual(Fast.exp(-100), 0)
        XCTAssertTrue(Fast.exp(100).isFinite)
    }

    func testReductions() {
        let a = randomTensor([3, 4, 2], seed: 6)
        checkDerivatives([a]) { sum($0[0]) }
        checkDerivatives([a]) { mean($0[0]) }
        checkDerivatives([a]) { sum($0[0], alongAxis: 1) }
        checkDerivatives([a]) { sum($0[0], alongAxis: -1, keepingDimension: true) }
        checkDerivatives([a]) { mean($0[0], alongAxis: 0) }
        // Few outer blocks with wide rows take the column-split path.
        let wide = randomTensor([5, 100], seed: 7)
        let columnSums = wide.sum(alongAxis: 0)
        for j in [0, 63, 99] { XCTAssertEqual(columnSums[j], (0..<5).reduce(0) { $0 + wide[$1, j] }, accuracy: 1e-5) }
        checkDerivatives([wide.slice(axis: 1, 0..<70)]) { sum($0[0], alongAxis: 0) }
        XCTAssertEqual(a.sum(alongAxis: 1).shape, [3, 2])
        XCTAssertEqual(a.sum(alongAxis: 1)[1, 0], a[1, 0, 0] + a[1, 1, 0] + a[1, 2, 0] + a[1, 3, 0], accuracy: 1e-6)
    }

    func testStopGradientCutsGradientAndTangent() throws {
        let g = Graph()
        let x = g.input(Tensor(shape: [2], scalars: [1, 2]), tangent: Tensor(shape: [2], scalars: [1, 1]), requiresGrad: true)
        let y = x * stopGradient(x)
        XCTAssertEqual(y.tangent?.scalars, [1, 2])  // d(x·c) = c·dx
        try g.backward(sum(y))
        XCTAssertEqual(x.grad?.scalars, [1, 2])
    }
}
