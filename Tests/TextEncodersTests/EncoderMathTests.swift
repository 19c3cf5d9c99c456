import Foundation
import Tensors
import XCTest
@testable import TextEncoders

/// The encoders' products and layouts against plain loops in double precision: split over the
/// cores or not, with a bias, accumulating, with a row stride; stacked weight matrices; the profile.
final class EncoderMathTests: XCTestCase {
    /// `y = x · wᵀ (+ bias) (+ y0)` in double precision.
    private func reference(_ x: [Float], rows: Int, inner: Int, xStride: Int, _ w: [Float], out: Int,
                           bias: [Float]?, start: [Float]?) -> [Float] {
        (0..<(rows * out)).map { index in
            let (r, j) = (index / out, index % out)
            var sum = Double(start?[index] ?? 0) + Double(bias?[j] ?? 0)
            for p in 0..<inner { sum += Double(x[r * xStride + p]) * Double(w[j * inner + p]) }
            return Float(sum)
        }
    }

    private func random(_ count: Int, _ rng: inout RandomGenerator) -> [Float] {
        (0..<count).map { _ in rng.uniform() - 0.5 }
    }

    /// Shapes on both sides of the split threshold, outputs that are not whole 16-column groups,
    /// every combination of bias, accumulation and stride; each routine.
    func testLinearMatchesPlainLoops() {
        var rng = RandomGenerator(seed: 7)
        let shapes = [(rows: 3, inner: 40, out: 50), (rows: 21, inner: 96, out: 1000), (rows: 20, inner: 768, out: 2304), (rows: 1, inner: 300, out: 4001)]
        for (rows, inner, out) in shapes {
            for (withBias, accumulate, padded) in [(false, false, false), (true, false, false), (false, true, true), (true, true, true)] {
                for routine in [ProductRoutine.dispatched, .openBLAS] {
                    let xStride = padded ? inner + 5 : inner
                    let x = random(rows * xStride, &rng), w = random(out * inner, &rng), bias = random(out, &rng)
                    let start = random(rows * out, &rng)
                    var y = accumulate ? start : [Float](repeating: .nan, count: rows * out)
                    x.withUnsafeBufferPointer { xp in
                        w.withUnsafeBufferPointer { wp in
                            bias.withUnsafeBufferPointer { bp in
                                y.withUnsafeMutableBufferPointer { yp in
                                    EncoderMath.linear(xp.baseAddress!, rows: rows, inner: inner, wp.baseAddress!, out: out,
                                                       bias: withBias ? bp.baseAddress! : nil, into: yp.baseAddress!,
                                                       accumulate: accumulate, xStride: xStride, routine: routine)
                                }
                            }
                        }
                    }
                    let expected = reference(x, rows: rows, inner: inner, xStride: xStride, w, out: out,
                                             bias: withBias ? bias : nil, start: accumulate ? start : nil)
                    let worst = zip(y, expected).map { abs($0 - $1) }.max() ?? .nan
                    XCTAssertLessThanOrEqual(worst, 1e-4, "\(rows)×\(out)×\(inner) bias \(withBias) accumulate \(accumulate) stride \(xStride) \(routine)")
                }
            }
        }
    }

    /// A product run from inside a parallel task (one piece) equals the split one.
    func testSplitAndUnsplitProductsAgree() {
        var rng = RandomGenerator(seed: 8)
        let (rows, inner, out) = (20, 768, 3072)
        let x = random(rows * inner, &rng), w = random(out * inner, &rng)
        func product() -> [Float] {
            var y = [Float](repeating: 0, count: rows * out)
            x.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    y.withUnsafeMutableBufferPointer { yp in
                        EncoderMath.linear(xp.baseAddress!, rows: rows, inner: inner, wp.baseAddress!, out: out, into: yp.baseAddress!)
                    }
                }
            }
            return y
        }
        let split = product()
        var inline: [Float] = []
        Parallel.concurrently(2) { task in if task == 0 { inline = product() } }
        XCTAssertEqual(inline.count, split.count)
        let worst = zip(split, inline).map { abs($0 - $1) }.max() ?? .nan
        XCTAssertLessThanOrEqual(worst, 1e-5)
    }

    func testStackedMatrixKeepsEachPartsRowsInOrder() {
        let q: [Float] = [1, 2, 3, 4, 5, 6], k: [Float] = [7, 8, 9], v: [Float] = [10, 11, 12, 13, 14, 15]
        let m = EncoderMatrix(stacking: [q, k, v], columns: 3)
        XCTAssertEqual(m.rows, 5)
        XCTAssertEqual(m.columns, 3)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: m.base, count: 15)), q + k + v)
        XCTAssertEqual(Int(bitPattern: m.base) % 64, 0, "aligned for the products' loads")
    }

    /// Every part of an encoding is timed, the products take time, and profiling does not change
    /// the result.
    func testProfileAccountsForTheEncoding() throws {
        let encoder = try PretrainedTextEncoder(folder: ReferenceEncoder.fixtures.appendingPathComponent("t5-v1_1"))
        let ids = encoder.tokenize("Die Lehrerin liest heute einen langen Brief.")
        var profile = EncoderProfile()
        let profiled = encoder.encode(ids: ids, profile: &profile)
        XCTAssertEqual(profiled, encoder.encode(ids: ids))
        XCTAssertTrue(profile.parts.allSatisfy { $0.seconds >= 0 })
        for part in [\EncoderProfile.projections, \.attention, \.output, \.feedForwardIn, \.feedForwardOut, \.norms] {
            XCTAssertGreaterThan(profile[keyPath: part], 0, "\(part)")
        }
        XCTAssertEqual(profile.total, profile.parts.map(\.seconds).reduce(0, +))
        var empty = EncoderProfile()
        XCTAssertEqual(encoder.encode(ids: [], profile: &empty).hidden, [])
    }

    /// The products benchmark runs each strategy and reports a positive rate (small shape).
    func testProductBenchmarkReportsEachStrategy() {
        var shape = RandomT5Folder.Shape()
        (shape.width, shape.layers, shape.heads, shape.headWidth, shape.feedForward) = (64, 2, 2, 32, 128)
        let results = EncoderProductBenchmark.measure(shape: shape, rows: 5, passes: 3, seed: 1)
        XCTAssertEqual(results.map(\.strategy), EncoderProductBenchmark.Strategy.allCases)
        for result in results {
            XCTAssertGreaterThan(result.milliseconds, 0, result.strategy.rawValue)
            XCTAssertGreaterThan(result.gigaflops, 0, result.strategy.rawValue)
            XCTAssertGreaterThanOrEqual(result.processorMilliseconds, 0, result.strategy.rawValue)
        }
    }
}
