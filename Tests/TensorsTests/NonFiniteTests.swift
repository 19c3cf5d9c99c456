import XCTest
@testable import Tensors

final class NonFiniteTests: XCTestCase {
    func testForwardNaNIsNamedAtItsOp() {
        let g = Graph()
        let x = g.input(Tensor(shape: [3], scalars: [1, -1, 2]), requiresGrad: true)
        let y = log(x)           // log(-1) = NaN: the culprit
        let z = exp(y) * 2       // NaN propagates, but the first op is kept
        XCTAssertThrowsError(try g.checkFinite()) { error in
            XCTAssertEqual(error as? NonFiniteError, NonFiniteError(op: "log", kind: .forward, shape: [3]))
            XCTAssertTrue("\(error)".contains("'log'"))
        }
        XCTAssertThrowsError(try g.backward(sum(z)))
    }

    func testTangentInfinityIsReported() {
        let g = Graph(recording: false)
        let x = g.input(Tensor(shape: [2], scalars: [0, 1]), tangent: Tensor(shape: [2], scalars: [1, 1]))
        _ = sqrt(x)  // value 0 is fine, tangent 0.5/0 = inf
        XCTAssertEqual(g.firstNonFinite, NonFiniteError(op: "sqrt", kind: .tangent, shape: [2]))
    }

    func testGradientInfinityIsReported() {
        let g = Graph()
        let x = g.input(Tensor(shape: [2], scalars: [0, 4]), requiresGrad: true)
        let y = sqrt(x)  // forward finite, gradient 0.5/0 = inf
        XCTAssertNoThrow(try g.checkFinite())
        XCTAssertThrowsError(try g.backward(sum(y))) { error in
            XCTAssertEqual(error as? NonFiniteError, NonFiniteError(op: "sqrt", kind: .gradient, shape: [2]))
        }
    }

    func testCheckCanBeSwitchedOff() throws {
        let g = Graph()
        g.checksFinite = false
        _ = log(g.input(Tensor(shape: [1], scalars: [-1])))
        XCTAssertNoThrow(try g.checkFinite())
    }
}
