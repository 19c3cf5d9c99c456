import XCTest
@testable import Tensors

/// Finite-difference checks of an op's backward (reverse mode) and JVP (forward mode).
///
/// `f` maps input nodes to an output node. The backward check compares `∂⟨R, f⟩/∂xᵢ` from
/// `Graph.backward` (seeded with a random cotangent R) with central differences element by element;
/// the JVP check compares the output tangent for random input tangents with
/// `(f(x + εt) − f(x − εt)) / 2ε`. Sums are accumulated in Double. Errors are relative to the norm
/// of the finite-difference reference, so a missing term or a wrong factor fails.
func checkDerivatives(_ inputs: [Tensor], differentiable: Set<Int>? = nil, epsilon: Float = 1e-2, tolerance: Double = 2e-3,
                      seed: UInt64 = 1, file: StaticString = #filePath, line: UInt = #line,
                      _ f: ([Var]) -> Var) {
    let report = derivativeErrors(inputs, differentiable: differentiable, epsilon: epsilon, seed: seed, f)
    for problem in report.problems { XCTFail(problem, file: file, line: line) }
    for (i, err) in report.gradientErrors.sorted(by: { $0.key < $1.key }) {
        XCTAssertLessThan(err, tolerance, "gradient of input \(i) (shape \(inputs[i].shape)) disagrees with finite differences: relative error \(err)", file: file, line: line)
    }
    if let err = report.tangentError {
        XCTAssertLessThan(err, tolerance, "JVP disagrees with finite differences: relative error \(err)", file: file, line: line)
    }
}

/// Relative errors of an op's gradients (per input) and output tangent against central differences.
struct DerivativeReport {
    var gradientErrors: [Int: Double] = [:]
    var tangentError: Double?
    var problems: [String] = []
}

func derivativeErrors(_ inputs: [Tensor], differentiable: Set<Int>? = nil, epsilon: Float = 1e-2, seed: UInt64 = 1,
                      _ f: ([Var]) -> Var) -> DerivativeReport {
    var report = DerivativeReport()
    var rng = RandomGenerator(seed: seed)
    let which = differentiable ?? Set(inputs.indices)

    func evaluate(_ xs: [Tensor]) -> Tensor {
        let g = Graph(recording: false)
        return f(xs.map { g.input($0) }).value
    }
    let y0 = evaluate(inputs)
    let cotangent = rng.normal(y0.shape)
    func project(_ y: Tensor) -> Double {
        zip(y.scalars, cotangent.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    // Reverse mode.
    let graph = Graph()
    let vars = inputs.enumerated().map { graph.input($0.element, requiresGrad: which.contains($0.offset)) }
    let out = f(vars)
    if out.value.shape != y0.shape { report.problems.append("recorded and unrecorded runs differ in shape") }
    do { try graph.backward(out, seed: cotangent) } catch { report.problems.append("backward threw \(error)"); return report }
    for i in inputs.indices where which.contains(i) {
        guard let analytic = vars[i].grad else { report.problems.append("input \(i) got no gradient"); continue }
        var numeric = [Double](repeating: 0, count: inputs[i].count)
        for j in 0..<inputs[i].count {
            var plus = inputs, minus = inputs
            plus[i].scalars[j] += epsilon
            minus[i].scalars[j] -= epsilon
            numeric[j] = (project(evaluate(plus)) - project(evaluate(minus))) / Double(2 * epsilon)
        }
        report.gradientErrors[i] = relativeError(analytic.scalars.map(Double.init), numeric)
    }

    // Forward mode.
    let tangents = inputs.indices.map { which.contains($0) ? rng.normal(inputs[$0].shape) : nil }
    let jg = Graph(recording: false)
    let jvars = inputs.indices.map { jg.input(inputs[$0], tangent: tangents[$0]) }
    let jout = f(jvars)
    guard let analyticTangent = jout.tangent, analyticTangent.shape == y0.shape else {
        report.problems.append("output has no tangent of shape \(y0.shape)")
        return report
    }
    var plus = inputs, minus = inputs
    for i in inputs.indices { if let t = tangents[i] { plus[i] = plus[i] + t * epsilon; minus[i] = minus[i] - t * epsilon } }
    let (yp, ym) = (evaluate(plus), evaluate(minus))
    let numericTangent = zip(yp.scalars, ym.scalars).map { (Double($0) - Double($1)) / Double(2 * epsilon) }
    report.tangentError = relativeError(analyticTangent.scalars.map(Double.init), numericTangent)
    return report
}

/// ‖a − b‖ / max(‖b‖, 1e-3).
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    var diff = 0.0, norm = 0.0
    for (x, y) in zip(a, b) { diff += (x - y) * (x - y); norm += y * y }
    return diff.squareRoot() / max(norm.squareRoot(), 1e-3)
}

/// Random test data with a fixed seed.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return rng.normal(shape, std: scale)
}

func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, file: file, line: line)
    guard a.shape == b.shape else { return }
    let err = zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
    let scale = max(1, b.maxAbs())
    XCTAssertLessThanOrEqual(err, tolerance * scale, "max difference \(err)", file: file, line: line)
}
