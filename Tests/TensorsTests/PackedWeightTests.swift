import Foundation
import XCTest
@testable import Tensors

/// A parameter's value packed for the few-row kernels (``PackedWeight``): `linear` uses it for the
/// products of its value and tangent and gives what the in-place product gives; the packing
/// follows every change of the value.
final class PackedWeightTests: XCTestCase {
    /// `x·Wᵀ + b` with W and b as constants (never packed: read in place).
    func unpacked(_ layer: Linear, _ x: Tensor) -> Tensor {
        let g = Graph(recording: false)
        return linear(g.constant(x), weight: g.constant(layer.weight.value), bias: layer.bias.map { g.constant($0.value) }).value
    }

    func testALinearLayerOnItsPackedWeightGivesTheInPlaceProduct() throws {
        let path = KernelPath.current
        var rng = RandomGenerator(seed: 5)
        // 210 rows: packed on both vector paths (AVX2 keeps its in-place kernel up to 160 rows).
        let layer = Linear(256, 70, rng: &rng)
        let x = rng.normal([3, 70, 256])
        XCTAssertEqual(RowTimesTransposed.usesPacked(on: path, m: 210, k: 256), path != .portable)
        let g = Graph(recording: false)
        // With a tangent too (the MeanFlow JVP's inputs): its product reads the same packing.
        let tx = rng.normal([3, 70, 256])
        XCTAssertNil(layer.weight.packing)
        let y = layer(g.input(x, tangent: tx))
        if path == .portable {
            XCTAssertNil(layer.weight.packing, "the portable path has no packed kernels")
        } else {
            XCTAssertEqual(layer.weight.packing?.version, layer.weight.version, "linear packed the weight")
        }
        assertClose(y.value, unpacked(layer, x), tolerance: 1e-4)
        let zeroBias = Linear(weight: layer.weight.value, bias: Tensor(zeros: [70]))
        assertClose(try XCTUnwrap(y.tangent), unpacked(zeroBias, tx), tolerance: 1e-4)
        if path != .portable {
            XCTAssertTrue(layer.weight.packed(for: path) === layer.weight.packed(for: path), "one packing per value")
        }
    }

    /// `x·Wᵀ + b` with the layer's weight packed for `path`.
    func packedProduct(_ layer: Linear, _ x: Tensor, on path: KernelPath) -> Tensor {
        let (m, k) = (x.shape[0], x.shape[1])
        let n = layer.weight.value.shape[0]
        let bias = layer.bias?.value ?? Tensor(zeros: [n])
        return Tensor(shape: [m, n]) { y in
            for r in 0..<m { for c in 0..<n { y[r * n + c] = bias.scalars[c] } }
            x.withUnsafeBufferPointer { xb in
                RowTimesTransposed.product(m: m, k: k, x: xb.baseAddress!, ldx: k, packed: layer.weight.packed(for: path),
                                           accumulate: true, y: y.baseAddress!, ldy: n)
            }
        }
    }

    func testThePackingFollowsEveryChangeOfTheValue() throws {
        // `make test` also forces the portable path, which packs nothing: the AVX2 kernels then
        // run when the CPU has them.
        let path = KernelPath.current == .portable && KernelPath.avx2.isSupported ? .avx2 : KernelPath.current
        guard path != .portable else { throw XCTSkip("no packed kernels: this CPU lacks \(KernelPath.avx2.requirement)") }
        var rng = RandomGenerator(seed: 6)
        let layer = Linear(256, 40, rng: &rng)
        let x = rng.normal([20, 256])
        let before = packedProduct(layer, x, on: path)
        assertClose(before, unpacked(layer, x), tolerance: 1e-4)
        let first = layer.weight.packed(for: path)
        layer.weight.assign(rng.normal([40, 256]))
        XCTAssertFalse(layer.weight.packed(for: path) === first, "a new value is packed again")
        let after = packedProduct(layer, x, on: path)
        assertClose(after, unpacked(layer, x), tolerance: 1e-4)
        XCTAssertGreaterThan(zip(before.scalars, after.scalars).map { abs($0 - $1) }.max() ?? 0, 0.1)
        // An optimiser's in-place step changes the value too.
        layer.weight.setGrad(Tensor(repeating: 1, shape: [40, 256]))
        let optimizer = AdamW([(name: "weight", parameter: layer.weight)], learningRate: 0.1)
        optimizer.step()
        assertClose(packedProduct(layer, x, on: path), unpacked(layer, x), tolerance: 1e-4)
    }
}
