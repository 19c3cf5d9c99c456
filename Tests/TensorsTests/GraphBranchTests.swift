import XCTest
@testable import Tensors

/// `Graph.concurrently`: ops recorded on two threads at once give the values, tangents and
/// gradients of the same ops recorded in turn.
final class GraphBranchTests: XCTestCase {
    /// Shared input `x` (with a tangent), a shared weight, one weight per task; the tasks' outputs
    /// are joined after the call on the calling thread.
    struct Problem {
        let x = randomTensor([5, 6], seed: 81)
        let tangent = randomTensor([5, 6], seed: 82)
        let shared = Parameter(randomTensor([4, 6], seed: 83))
        let own = [Parameter(randomTensor([4, 4], seed: 84)), Parameter(randomTensor([4, 4], seed: 85))]

        /// The loss and the input node, with the tasks run by `run`.
        func loss(_ g: Graph, run: (Int, (Int) -> Void) -> Void) -> (Var, Var) {
            let input = g.input(x, tangent: tangent, requiresGrad: true)
            let h = gelu(input)  // made before the call: a node of the top-level graph
            let outputs = Slots(2)
            run(2) { i in
                let y = linear(h, weight: shared)
                outputs[i] = tanh(linear(y, weight: own[i])) * Float(i + 1) + y
            }
            let joined = concat(outputs.values, axis: 1)
            return (sum(square(joined)), input)
        }

        var parameters: [Parameter] { [shared] + own }
    }

    func testBranchesMatchTheSameOpsInTurn() throws {
        try XCTSkipIf(Parallel.workerCount < 2, "needs two cores for branches")
        let problem = Problem()
        let serial = Graph()
        let (serialLoss, serialInput) = problem.loss(serial) { n, body in for i in 0..<n { body(i) } }
        let serialOps = serial.recordedOpCount
        try serial.backward(serialLoss)
        let serialGrads = problem.parameters.map { $0.grad! }
        problem.parameters.forEach { $0.zeroGrad() }

        let g = Graph()
        let (loss, input) = problem.loss(g) { n, body in g.concurrently(n, body) }
        XCTAssertEqual(g.branches.count, 2, "one branch per task")
        XCTAssertTrue(loss.graph === g, "ops after the call record on the graph itself")
        XCTAssertEqual(g.recordedOpCount, serialOps)
        XCTAssertEqual(loss.value.scalar, serialLoss.value.scalar, accuracy: 1e-5 * abs(serialLoss.value.scalar))
        let tangent = try XCTUnwrap(loss.tangent?.scalar), serialTangent = try XCTUnwrap(serialLoss.tangent?.scalar)
        XCTAssertEqual(tangent, serialTangent, accuracy: 1e-5 * abs(serialTangent))
        try g.backward(loss)
        assertClose(input.grad!.scalars, serialInput.grad!.scalars, "input gradient (shared by both tasks)")
        for (p, expected) in zip(problem.parameters, serialGrads) {
            assertClose(p.grad!.scalars, expected.scalars, "parameter gradient")
        }
        problem.parameters.forEach { $0.zeroGrad() }
    }

    func testBranchOpsAreProfiledAndTheirNaNsReported() throws {
        try XCTSkipIf(Parallel.workerCount < 2, "needs two cores for branches")
        let g = Graph()
        g.isProfiling = true
        let x = g.input(Tensor(shape: [2], scalars: [1, -1]), requiresGrad: true)
        let outputs = Slots(2)
        g.concurrently(2) { i in outputs[i] = i == 0 ? exp(x) : log(x) }
        XCTAssertEqual(g.profile["log"]?.calls, 1, "a branch's ops join the graph's profile")
        XCTAssertEqual(g.profile["exp"]?.calls, 1)
        XCTAssertThrowsError(try g.backward(sum(outputs[0] + outputs[1]))) { error in
            XCTAssertEqual(error as? NonFiniteError, NonFiniteError(op: "log", kind: .forward, shape: [2]))
        }
    }

    func testNestedCallsRunInTurnOnTheirBranch() throws {
        let g = Graph()
        let x = g.input(randomTensor([3], seed: 86), requiresGrad: true)
        let outputs = Slots(4)
        g.concurrently(2) { i in
            g.concurrently(2) { j in outputs[2 * i + j] = x * Float(2 * i + j + 1) }
        }
        XCTAssertLessThanOrEqual(g.branches.count, 2, "no branches of branches")
        try g.backward(sum(outputs[0] + outputs[1] + outputs[2] + outputs[3]))
        // d/dx Σ (k + 1)·x = 1 + 2 + 3 + 4 per element.
        assertClose(x.grad!.scalars, [10, 10, 10], "gradient through nested tasks")
    }

    /// One slot per task, written from the tasks' threads (distinct slots, no shared array).
    final class Slots: @unchecked Sendable {
        let storage: UnsafeMutableBufferPointer<Var?>
        init(_ count: Int) { storage = .allocate(capacity: count); storage.initialize(repeating: nil) }
        deinit { storage.deinitialize(); storage.deallocate() }
        subscript(i: Int) -> Var {
            get { storage[i]! }
            set { storage[i] = newValue }
        }
        var values: [Var] { storage.map { $0! } }
    }

    func assertClose(_ a: [Float], _ b: [Float], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        for (u, v) in zip(a, b) {
            XCTAssertEqual(u, v, accuracy: 1e-5 * max(1, abs(v)), message, file: file, line: line)
        }
    }
}
