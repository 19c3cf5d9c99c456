import XCTest
@testable import Tensors

final class NormalizationDerivativeTests: XCTestCase {
    func testSoftmax() {
        let a = randomTensor([3, 5], seed: 11)
        checkDerivatives([a]) { softmax($0[0]) }
        let y = softmax(Graph(recording: false).constant(a)).value
        for r in 0..<3 {
            let row = (0..<5).map { a[r, $0] }
            let m = row.max()!
            let e = row.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            for j in 0..<5 { XCTAssertEqual(y[r, j], e[j] / s, accuracy: 1e-6) }
        }
    }

    func testSoftmaxOfMaskedRowIsZero() {
        let x = Tensor(shape: [2, 3], scalars: [-.infinity, -.infinity, -.infinity, 0, -.infinity, 0])
        let y = softmax(Graph(recording: false).constant(x)).value
        XCTAssertEqual(y.scalars, [0, 0, 0, 0.5, 0, 0.5])
    }

    func testRMSNorm() {
        let x = randomTensor([4, 6], seed: 12), w = randomTensor([6], seed: 13)
        checkDerivatives([x]) { rmsNorm($0[0]) }
        checkDerivatives([x, w]) { rmsNorm($0[0], weight: $0[1]) }
        let y = rmsNorm(Graph(recording: false).constant(x)).value
        let row = (0..<6).map { x[1, $0] }
        let rms = (row.map { $0 * $0 }.reduce(0, +) / 6 + 1e-6).squareRoot()
        XCTAssertEqual(y[1, 2], x[1, 2] / rms, accuracy: 1e-5)
    }

    func testLayerNorm() {
        let x = randomTensor([4, 6], seed: 14), w = randomTensor([6], seed: 15), b = randomTensor([6], seed: 16)
        checkDerivatives([x]) { layerNorm($0[0]) }
        checkDerivatives([x, w, b]) { layerNorm($0[0], weight: $0[1], bias: $0[2]) }
        let y = layerNorm(Graph(recording: false).constant(x)).value
        let row = (0..<6).map { x[2, $0] }
        let mu = row.reduce(0, +) / 6
        let v = row.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 6
        XCTAssertEqual(y[2, 3], (x[2, 3] - mu) / (v + 1e-5).squareRoot(), accuracy: 1e-5)
    }
}
