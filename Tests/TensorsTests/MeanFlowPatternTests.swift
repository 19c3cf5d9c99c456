import XCTest
@testable import Tensors

/// The MeanFlow training pattern end to end: one recorded forward pass with tangents seeded on the
/// noisy input z (dz/dt = v) and the time t (dt/dt = 1) gives u and du/dt; the target built from the
/// tangent is a constant; backward gives the gradient of the loss with the target held fixed.
final class MeanFlowPatternTests: XCTestCase {
    final class TinyNet: Layer {
        let inp: Linear, out: Linear, norm = RMSNorm(8)
        init() {
            var rng = RandomGenerator(seed: 5)
            inp = Linear(3 + 8, 8, rng: &rng)
            out = Linear(8, 3, rng: &rng)
        }
        var children: [(String, any Layer)] { [("inp", inp), ("norm", norm), ("out", out)] }
        /// u(z, t): z [N, 3], t [N]
        func callAsFunction(_ z: Var, _ t: Var) -> Var {
            out(silu(norm(inp(concat([z, sinCosEmbedding(t, dim: 8)], axis: 1)))))
        }
    }

    func testGradientWithTangentTargetHeldFixed() throws {
        let net = TinyNet()
        let z = randomTensor([4, 3], seed: 6), v = randomTensor([4, 3], seed: 7)
        let t = Tensor(shape: [4], scalars: [0.9, 0.6, 0.4, 0.7]), r = Tensor(shape: [4], scalars: [0.1, 0.6, 0.2, 0.0])
        let mask = Tensor(repeating: 1, shape: [4, 1])

        let g = Graph()
        let u = net(g.input(z, tangent: v), g.input(t, tangent: Tensor(repeating: 1, shape: [4])))
        let dudt = try XCTUnwrap(u.tangent)
        let target = v - (t - r).reshaped([4, 1]) * dudt
        let loss = maskedMSE(u, g.constant(target), mask: mask)
        try g.backward(loss)

        // du/dt matches a finite difference along (v, 1).
        let eps: Float = 1e-2
        let probe = Graph(recording: false)
        let up = net(probe.input(z + v * eps), probe.input(t + eps)).value
        let um = net(probe.input(z - v * eps), probe.input(t - eps)).value
        XCTAssertLessThan(relativeError(dudt.scalars.map(Double.init), ((up - um) * (1 / (2 * eps))).scalars.map(Double.init)), 2e-3)

        // The parameter gradient is that of the loss with the target frozen.
        func frozenLoss() -> Double {
            let e = Graph(recording: false)
            let y = net(e.input(z), e.input(t)).value
            return Double(maskedMSE(e.constant(y), e.constant(target), mask: mask).value.scalar)
        }
        for p in [net.inp.weight, net.out.bias!, net.norm.weight] {
            let analytic = try XCTUnwrap(p.grad)
            var numeric = [Double](repeating: 0, count: p.value.count)
            for j in 0..<p.value.count {
                let original = p.value
                var plus = original, minus = original
                plus.scalars[j] += eps
                minus.scalars[j] -= eps
                p.assign(plus); let lp = frozenLoss()
                p.assign(minus); let lm = frozenLoss()
                p.assign(original)
                numeric[j] = (lp - lm) / Double(2 * eps)
            }
            XCTAssertLessThan(relativeError(analytic.scalars.map(Double.init), numeric), 5e-3)
        }
    }
}
