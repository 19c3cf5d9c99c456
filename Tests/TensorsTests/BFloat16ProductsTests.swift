import Foundation
import XCTest
@testable import Tensors

/// Products with bfloat16 operands (``BFloat16Products``): the rounding, the AVX-512 BF16 kernel
/// and the emulated route against a double-precision product of the rounded operands, and
/// `linear` in a graph whose ``Graph/matmulPrecision`` is `bf16`.
final class BFloat16ProductsTests: XCTestCase {
    /// The routes this machine runs: the emulated one always, the kernel where the CPU has it.
    var routes: [BFloat16Route] {
        MatmulPrecision.bfloat16Route(on: .avx512) == .kernel ? [.kernel, .emulated] : [.emulated]
    }

    /// Reports, as a skip with the reason, a machine where the tests below check only the
    /// emulated route; elsewhere, that `bf16` runs on the kernel on the `avx512` path only.
    func testTheKernelRouteIsTestedWhereTheCPUHasIt() throws {
        guard CPUSupport.avx512BFloat16 else {
            throw XCTSkip("the bf16 kernel was not tested: this CPU lacks AVX-512 with AVX512_BF16 (only the emulated route ran)")
        }
        XCTAssertEqual(routes, [.kernel, .emulated])
        XCTAssertEqual(MatmulPrecision.bfloat16Route(on: .avx2), .emulated)
        XCTAssertEqual(MatmulPrecision.bfloat16Route(on: .portable), .emulated)
    }

    /// Round to nearest bfloat16, ties to even, from the definition (8 bits of mantissa).
    func referenceRounding(_ x: Float) -> Float {
        if x.isNaN { return x }
        let bits = x.bitPattern
        let low = bits & 0xffff, kept = bits & 0xffff_0000
        let up = low > 0x8000 || (low == 0x8000 && (kept >> 16) & 1 == 1)
        return Float(bitPattern: up ? kept &+ 0x1_0000 : kept)
    }

    func testRoundingIsToNearestBFloat16TiesToEven() {
        let halfway = Float(bitPattern: 0x3f80_8000)  // 1 + 2⁻⁸: halfway between 1 and 1 + 2⁻⁷
        let aboveHalfway = Float(bitPattern: 0x3f80_8001)
        let oddHalfway = Float(bitPattern: 0x3f81_8000)  // halfway, the lower neighbour odd
        let values: [Float] = [0, -0.0, 1, -1, halfway, aboveHalfway, oddHalfway, 3.14159265, -2.7182818,
                               Float(bitPattern: 0x0001_1a2b), -Float(bitPattern: 0x0000_8480), .greatestFiniteMagnitude, .infinity, -.infinity, 65504, 1e30, 1e-30]
        let rounded = values.withUnsafeBufferPointer { BFloat16Products.rounded($0.baseAddress!, count: values.count) }
        XCTAssertEqual(rounded[4], 1, "ties go to the even neighbour")
        XCTAssertEqual(rounded[5], Float(bitPattern: 0x3f81_0000), "above halfway rounds up")
        XCTAssertEqual(rounded[6], Float(bitPattern: 0x3f82_0000), "ties go to the even neighbour")
        XCTAssertEqual(rounded[11], .infinity, "the largest float rounds past bfloat16's largest finite value")
        for (value, result) in zip(values, rounded) {
            XCTAssertEqual(result.bitPattern, referenceRounding(value).bitPattern, "\(value)")
        }
        let nan = [Float.nan, -Float.nan, Float(bitPattern: 0x7f80_0001)]
        let roundedNaN = nan.withUnsafeBufferPointer { BFloat16Products.rounded($0.baseAddress!, count: nan.count) }
        XCTAssertTrue(roundedNaN.allSatisfy(\.isNaN), "NaN stays NaN (a signalling NaN must not round to infinity)")
    }

    /// `op(a) · op(b) (+ c)` in double precision on the rounded operands.
    func reference(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, adding c: Tensor?) -> [Double] {
        let ra = a.scalars.map(referenceRounding), rb = b.scalars.map(referenceRounding)
        return (0..<m * n).map { index in
            let (i, j) = (index / n, index % n)
            var sum = Double(c?.scalars[index] ?? 0)
            for l in 0..<k {
                let x = transposeA ? ra[l * m + i] : ra[i * k + l]
                let y = transposeB ? rb[j * k + l] : rb[l * n + j]
                sum += Double(x) * Double(y)
            }
            return sum
        }
    }

    func testEveryRouteMatchesTheRoundedProductInEveryLayout() {
        var rng = RandomGenerator(seed: 21)
        // Edges of the kernel's blocks: tiles of 12 × 32, depth blocks of 384 (385: an odd tail), 144 rows.
        let shapes = [(1, 1, 1), (13, 17, 1), (12, 32, 2), (37, 45, 33), (150, 70, 385), (300, 33, 64)]
        for route in routes {
            for (m, n, k) in shapes {
                for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
                    for accumulate in [false, true] {
                        let a = rng.normal(transposeA ? [k, m] : [m, k]), b = rng.normal(transposeB ? [n, k] : [k, n])
                        let c0 = rng.normal([m, n])
                        var c = c0
                        a.withUnsafeBufferPointer { ap in
                            b.withUnsafeBufferPointer { bp in
                                c.withUnsafeMutableBufferPointer { cp in
                                    BFloat16Products.gemm(on: route, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                                          a: ap.baseAddress!, b: bp.baseAddress!, accumulate: accumulate, c: cp.baseAddress!)
                                }
                            }
                        }
                        let expected = reference(a, b, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                                 adding: accumulate ? c0 : nil)
                        // float32 sums of exact products: an error of a few ulps of the sum of |terms|.
                        let bound = 4e-6 * Double(k + 1) * 4
                        let worst = zip(c.scalars, expected).map { abs(Double($0) - $1) }.max() ?? 0
                        XCTAssertLessThanOrEqual(worst, bound, "\(route) \(m)×\(n)×\(k) transposeA \(transposeA) transposeB \(transposeB) accumulate \(accumulate)")
                    }
                }
            }
        }
    }

    func testTheProductIsNotTheFloat32Product() {
        // Guards the test above against a route that silently skips the rounding.
        var rng = RandomGenerator(seed: 22)
        let (m, n, k) = (40, 48, 96)
        let a = rng.normal([m, k]), b = rng.normal([k, n])
        let exact = Tensor.matmul(a, b)
        for route in routes {
            var c = Tensor(zeros: [m, n])
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        BFloat16Products.gemm(on: route, m: m, n: n, k: k, a: ap.baseAddress!, b: bp.baseAddress!,
                                              accumulate: false, c: cp.baseAddress!)
                    }
                }
            }
            let difference = zip(c.scalars, exact.scalars).map { abs($0 - $1) }.max() ?? 0
            XCTAssertGreaterThan(difference, 1e-3, "\(route): bfloat16 operands change the product")
            XCTAssertLessThan(difference, 0.3, "\(route): but only by the rounding of the operands")
        }
    }

    func testNaNInAnOperandReachesTheProduct() {
        for route in routes {
            var a = Tensor(repeating: 1, shape: [20, 8]), b = Tensor(repeating: 1, shape: [8, 40])
            a.scalars[3 * 8 + 5] = .nan
            b.scalars[2 * 40 + 7] = .infinity
            var c = Tensor(zeros: [20, 40])
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        BFloat16Products.gemm(on: route, m: 20, n: 40, k: 8, a: ap.baseAddress!, b: bp.baseAddress!,
                                              accumulate: false, c: cp.baseAddress!)
                    }
                }
            }
            XCTAssertTrue((0..<40).allSatisfy { c[3, $0].isNaN }, "\(route): the NaN's row")
            XCTAssertEqual(c[0, 7], .infinity, "\(route): the infinity's column")
            XCTAssertEqual(c[0, 0], 8, "\(route)")
        }
    }

    /// A linear layer's value, tangent and gradients in a `bf16` graph equal the products of the
    /// rounded operands (and, below ``BFloat16Products/minimumRows``, the float32 ones).
    func testLinearInABFloat16GraphRoundsTheOperandsOfAllItsProducts() throws {
        var rng = RandomGenerator(seed: 23)
        let layer = Linear(64, 48, rng: &rng)
        let rows = BFloat16Products.minimumRows + 4
        let x = rng.normal([rows, 64]), tx = rng.normal([rows, 64]), seed = rng.normal([rows, 48])
        func run(_ precision: MatmulPrecision, rows: Int) throws -> (y: Tensor, t: Tensor, dx: Tensor, dw: Tensor) {
            let g = Graph()
            g.matmulPrecision = precision
            let input = g.input(x.sliced(rows: rows), tangent: tx.sliced(rows: rows), requiresGrad: true)
            let y = layer(input)
            try g.backward(y, seed: seed.sliced(rows: rows))
            defer { layer.weight.grad = nil; layer.bias?.grad = nil }
            return (y.value, try XCTUnwrap(y.tangent), try XCTUnwrap(input.grad), try XCTUnwrap(layer.weight.grad))
        }
        let w = layer.weight.value, bias = layer.bias!.value
        func rounded(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, scalars: t.scalars.map(referenceRounding)) }
        let bf16 = try run(.bf16, rows: rows)
        assertClose(bf16.y, Tensor.matmul(rounded(x), rounded(w), transposeB: true) + bias, tolerance: 1e-5)
        assertClose(bf16.t, Tensor.matmul(rounded(tx), rounded(w), transposeB: true), tolerance: 1e-5)
        assertClose(bf16.dx, Tensor.matmul(rounded(seed), rounded(w)), tolerance: 1e-5)
        assertClose(bf16.dw, Tensor.matmul(rounded(seed), rounded(x), transposeA: true), tolerance: 1e-4)
        let fp32 = try run(.fp32, rows: rows)
        XCTAssertGreaterThan(zip(fp32.y.scalars, bf16.y.scalars).map { abs($0 - $1) }.max() ?? 0, 1e-4)

        let few = rows - 8  // below the minimum: float32 products
        let small16 = try run(.bf16, rows: few), small32 = try run(.fp32, rows: few)
        XCTAssertEqual(small16.y, small32.y)
        XCTAssertEqual(small16.dw, small32.dw)
    }

    func testBranchesRecordInTheirGraphsPrecision() {
        let g = Graph()
        g.matmulPrecision = .bf16
        XCTAssertEqual(Graph(branchOf: g).matmulPrecision, .bf16)
    }
}

private extension Tensor {
    /// The first `rows` rows of a rank-2 tensor.
    func sliced(rows: Int) -> Tensor {
        Tensor(shape: [rows, shape[1]], scalars: Array(scalars[0..<rows * shape[1]]))
    }
}
