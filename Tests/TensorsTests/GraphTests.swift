import XCTest
@testable import Tensors

final class GraphTests: XCTestCase {
    /// The checker itself must reject wrong derivatives, or every derivative test could pass vacuously.
    func testCheckerRejectsWrongDerivatives() {
        let x = randomTensor([6], seed: 61)
        // Value x², but backward and tangent claim 2.1·x.
        let wrong: ([Var]) -> Var = { v in
            let a = v[0]
            return Var.result("wrongSquare", Elementwise.map(a.value) { $0 * $0 },
                              tangent: a.tangent.map { Elementwise.zip(a.value, $0) { 2.1 * $0 * $1 } }, inputs: [a]) { g in
                [Elementwise.zip(a.value, g) { 2.1 * $0 * $1 }]
            }
        }
        let report = derivativeErrors([x], wrong)
        XCTAssertGreaterThan(report.gradientErrors[0]!, 0.02)
        XCTAssertGreaterThan(report.tangentError!, 0.02)
        let right = derivativeErrors([x]) { square($0[0]) }
        XCTAssertLessThan(right.gradientErrors[0]!, 2e-3)
        XCTAssertLessThan(right.tangentError!, 2e-3)
    }

    func testInferenceGraphRecordsNothing() {
        let g = Graph(recording: false)
        let p = Parameter(randomTensor([3, 3], seed: 62))
        let y = matmul(g.input(randomTensor([2, 3], seed: 63)), p)
        XCTAssertEqual(g.recordedOpCount, 0)
        XCTAssertNil(y.tangent)
        let r = Graph()
        _ = matmul(r.input(randomTensor([2, 3], seed: 63)), p)
        XCTAssertEqual(r.recordedOpCount, 1)
        _ = r.input(Tensor(1)) * r.input(Tensor(2))  // no gradient needed: not recorded
        XCTAssertEqual(r.recordedOpCount, 1)
    }

    func testAttachedParameterGetsGradientThroughParameterOnlyOps() throws {
        let start = Parameter(Tensor(shape: [1, 2], scalars: [1, 2]))
        let g = Graph()
        let tokens = broadcast(g.attach(start), to: [3, 2])
        try g.backward(sum(tokens * g.input(Tensor(shape: [3, 1], scalars: [1, 2, 3]))))
        XCTAssertEqual(start.grad?.scalars, [6, 6])
    }

    func testBackwardOfConstantLossThrows() {
        let g = Graph()
        let loss = sum(g.input(Tensor(shape: [2], scalars: [1, 2])))
        XCTAssertThrowsError(try g.backward(loss)) { XCTAssertEqual($0 as? GraphError, .lossNotDifferentiable(op: "sum")) }
    }

    func testProfileNamesOps() throws {
        let g = Graph()
        g.isProfiling = true
        let x = g.input(randomTensor([4, 4], seed: 66), requiresGrad: true)
        try g.backward(sum(gelu(x)))
        XCTAssertEqual(g.profile["gelu"]?.calls, 1)
        XCTAssertEqual(g.profile["backward gelu"]?.calls, 1)
        XCTAssertTrue(g.profileReport().contains("backward sum"))
    }

    /// A profiled linear layer counts 2·M·N·K operations per product: the value and each tangent
    /// term forward, each gradient it computes backward; the report shows the rate. Other ops count none.
    func testProfileCountsTheLinearLayersArithmetic() throws {
        let (m, n, k) = (3.0, 5.0, 4.0)
        let product = 2 * m * n * k
        let weight = Parameter(randomTensor([5, 4], seed: 1))
        let g = Graph()
        g.isProfiling = true
        let x = g.input(randomTensor([3, 4], seed: 2), tangent: randomTensor([3, 4], seed: 3), requiresGrad: true)
        try g.backward(sum(gelu(linear(x, weight: weight))))
        XCTAssertEqual(g.profile["linear"]?.flops, 2 * product, "the value and the input's tangent")
        XCTAssertEqual(g.profile["backward linear"]?.flops, 2 * product, "the input's and the weight's gradients")
        XCTAssertEqual(g.profile["gelu"]?.flops, 0)
        let report = g.profileReport().split(separator: "\n")
        XCTAssertTrue(try XCTUnwrap(report.first { $0.hasPrefix("linear ") }).hasSuffix("GFLOP/s"))
        XCTAssertFalse(try XCTUnwrap(report.first { $0.hasPrefix("gelu ") }).contains("GFLOP/s"))

        let inference = Graph(recording: false)
        inference.isProfiling = true
        _ = linear(inference.constant(randomTensor([3, 4], seed: 2)), weight: weight)
        XCTAssertEqual(inference.profile["linear"]?.flops, product, "the value only")
        XCTAssertNil(inference.profile["backward linear"])
    }

    func testParametersAccumulateAcrossBackwardPasses() throws {
        let w = Parameter(Tensor(shape: [2], scalars: [1, 2]))
        for _ in 0..<2 {
            let g = Graph()
            try g.backward(sum(g.input(Tensor(shape: [2], scalars: [3, 4])) * w))
        }
        XCTAssertEqual(w.grad?.scalars, [6, 8])
        w.zeroGrad()
        XCTAssertNil(w.grad)
    }

    func testJVPThroughNetworkMatchesFiniteDifferences() {
        // A small residual MLP block, differentiated in its input and a time input, as MeanFlow does.
        var rng = RandomGenerator(seed: 64)
        let l1 = Linear(4, 8, rng: &rng), l2 = Linear(8, 4, rng: &rng), norm = RMSNorm(4)
        let x = randomTensor([3, 4], seed: 65), t = Tensor(shape: [3], scalars: [0.2, 0.5, 0.7])
        checkDerivatives([x, t]) { v in
            let emb = sinCosEmbedding(v[1], dim: 4)
            let h = norm(v[0] + emb)
            return v[0] + l2(gelu(l1(h)))
        }
    }

    func testLayerNamesComeFromStructure() {
        final class Block: Layer {
            var rng = RandomGenerator(seed: 1)
            lazy var q = Linear(4, 4, bias: false, rng: &rng)
            let norm = RMSNorm(4)
            var children: [(String, any Layer)] { [("q", q), ("norm", norm)] }
        }
        final class Model: Layer {
            let blocks = LayerList([Block(), Block()])
            let head = Linear(zeros: 4, 2)
            var children: [(String, any Layer)] { [("blocks", blocks), ("head", head)] }
        }
        let names = Model().namedParameters().map(\.name)
        XCTAssertEqual(names, ["blocks.0.q.weight", "blocks.0.norm.weight", "blocks.1.q.weight", "blocks.1.norm.weight", "head.weight", "head.bias"])
    }

    func testLoadChecksNamesAndShapes() throws {
        var rng = RandomGenerator(seed: 2)
        let layer = Linear(3, 2, rng: &rng)
        var state = layer.stateDict()
        state["weight"] = Tensor(zeros: [2, 3])
        try layer.load(state)
        XCTAssertEqual(layer.weight.value, Tensor(zeros: [2, 3]))
        XCTAssertThrowsError(try layer.load(["weight": Tensor(zeros: [2, 3])])) { XCTAssertEqual($0 as? LayerError, .missingParameter("bias")) }
        state["weight"] = Tensor(zeros: [3, 2])
        XCTAssertThrowsError(try layer.load(state)) { XCTAssertEqual($0 as? LayerError, .shapeMismatch("weight", expected: [2, 3], found: [3, 2])) }
    }
}
