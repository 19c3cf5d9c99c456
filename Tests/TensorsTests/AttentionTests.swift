import XCTest
@testable import Tensors

final class AttentionTests: XCTestCase {
    /// Reference attention in Double, straight from the definition.
    func reference(q: Tensor, k: Tensor, v: Tensor, scale: Float, bias: Tensor?, mask: Tensor?) -> Tensor {
        let (b, h, tq, dh) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let tk = k.shape[2]
        let biasFull = bias?.expanded(to: [b, h, tq, tk])
        let maskFull = mask?.expanded(to: [b, 1, tq, tk])
        var out = Tensor(zeros: [b, h, tq, dh])
        for bi in 0..<b { for hi in 0..<h { for i in 0..<tq {
            var logits = [Double](repeating: 0, count: tk)
            for j in 0..<tk {
                var s = 0.0
                for d in 0..<dh { s += Double(q[bi, hi, i, d]) * Double(k[bi, hi, j, d]) }
                logits[j] = s * Double(scale) + Double(biasFull?[bi, hi, i, j] ?? 0) + Double(maskFull?[bi, 0, i, j] ?? 0)
            }
            let m = logits.max()!
            if m == -.infinity { continue }
            let e = logits.map { Foundation.exp($0 - m) }
            let z = e.reduce(0, +)
            for d in 0..<dh {
                var s = 0.0
                for j in 0..<tk { s += e[j] / z * Double(v[bi, hi, j, d]) }
                out[bi, hi, i, d] = Float(s)
            }
        } } }
        return out
    }

    let q = randomTensor([2, 2, 3, 4], seed: 51)
    let k = randomTensor([2, 2, 5, 4], seed: 52)
    let v = randomTensor([2, 2, 5, 4], seed: 53)

    func testValuesMatchReference() {
        let g = Graph(recording: false)
        let keyBias = randomTensor([2, 2, 1, 5], seed: 54)
        let mask = AttentionMask.causal(queries: 3, keys: 5)
        let y = attention(q: g.constant(q), k: g.constant(k), v: g.constant(v), scale: 0.5, bias: g.constant(keyBias), mask: mask).value
        assertClose(y, reference(q: q, k: k, v: v, scale: 0.5, bias: keyBias, mask: mask), tolerance: 1e-5)
        let plain = attention(q: g.constant(q), k: g.constant(k), v: g.constant(v), scale: 0.5).value
        assertClose(plain, reference(q: q, k: k, v: v, scale: 0.5, bias: nil, mask: nil), tolerance: 1e-5)
    }

    func testDerivativesPlain() {
        checkDerivatives([q, k, v]) { attention(q: $0[0], k: $0[1], v: $0[2], scale: 0.5) }
    }

    func testDerivativesWithKeyBiasAndCausalMask() {
        let keyBias = randomTensor([2, 2, 1, 5], seed: 55)
        let mask = AttentionMask.causal(queries: 3, keys: 5)
        checkDerivatives([q, k, v, keyBias]) { attention(q: $0[0], k: $0[1], v: $0[2], scale: 0.5, bias: $0[3], mask: mask) }
    }

    func testDerivativesWithFullBiasAndPaddingMask() {
        let bias = randomTensor([2, 2, 3, 5], seed: 56)
        let mask = AttentionMask.keyPadding(lengths: [5, 2], keys: 5)
        checkDerivatives([q, k, v, bias]) { attention(q: $0[0], k: $0[1], v: $0[2], scale: 0.3, bias: $0[3], mask: mask) }
        // A bias shared by the batch and heads: [Tq, Tk].
        let shared = randomTensor([3, 5], seed: 57)
        checkDerivatives([q, k, v, shared]) { attention(q: $0[0], k: $0[1], v: $0[2], scale: 0.3, bias: $0[3], mask: mask) }
    }

    /// Training-sized rows (Tq > 4) take the sgemm path; check it too, with bias and a causal mask.
    func testDerivativesManyQueries() {
        let (q6, k7, v7) = (randomTensor([1, 2, 6, 3], seed: 58), randomTensor([1, 2, 7, 3], seed: 59), randomTensor([1, 2, 7, 3], seed: 60))
        let bias = randomTensor([1, 2, 1, 7], seed: 61)
        let mask = AttentionMask.causal(queries: 6, keys: 7)
        checkDerivatives([q6, k7, v7, bias]) { attention(q: $0[0], k: $0[1], v: $0[2], scale: 0.6, bias: $0[3], mask: mask) }
        let g = Graph(recording: false)
        let y = attention(q: g.constant(q6), k: g.constant(k7), v: g.constant(v7), scale: 0.6, bias: g.constant(bias), mask: mask).value
        assertClose(y, reference(q: q6, k: k7, v: v7, scale: 0.6, bias: bias, mask: mask), tolerance: 1e-5)
    }

    func testFullyMaskedRowGivesZerosNotNaN() throws {
        // Query 0 of batch 1 sees no key at all.
        let mask = AttentionMask.from(queries: 3, keys: 5) { i, j in j <= i }
        var perBatch = Tensor.concat([mask.reshaped([1, 1, 3, 5]), Tensor(repeating: -.infinity, shape: [1, 1, 3, 5])], axis: 0)
        perBatch[1, 0, 1, 0] = 0
        perBatch[1, 0, 2, 3] = 0
        let g = Graph()
        let (qv, kv, vv) = (g.input(q, requiresGrad: true), g.input(k, requiresGrad: true), g.input(v, requiresGrad: true))
        let y = attention(q: qv, k: kv, v: vv, scale: 0.5, mask: perBatch)
        XCTAssertTrue(y.value.isFinite)
        for hi in 0..<2 { for d in 0..<4 { XCTAssertEqual(y.value[1, hi, 0, d], 0) } }
        try g.backward(sum(y))
        XCTAssertTrue(qv.grad!.isFinite && kv.grad!.isFinite && vv.grad!.isFinite)
        checkDerivatives([q, k, v]) { attention(q: $0[0], k: $0[1], v: $0[2], scale: 0.5, mask: perBatch) }
    }

    func testStreamingShapeMatchesFullSequence() {
        // The last query of a causal pass equals a one-query pass over the whole cache.
        let g = Graph(recording: false)
        let full = attention(q: g.constant(k), k: g.constant(k), v: g.constant(v), scale: 0.5, mask: AttentionMask.causal(queries: 5, keys: 5)).value
        let last = attention(q: g.constant(k.slice(axis: 2, 4..<5)), k: g.constant(k), v: g.constant(v), scale: 0.5,
                             mask: AttentionMask.causal(queries: 1, keys: 5)).value
        assertClose(last, full.slice(axis: 2, 4..<5), tolerance: 1e-6)
    }
}

final class KVCacheTests: XCTestCase {
    func testCacheAttentionMatchesFullAttention() {
        let (b, h, dh) = (2, 3, 4)
        var cache = KVCache(batch: b, heads: h, headDim: dh)
        let k1 = randomTensor([b, h, 3, dh], seed: 71), v1 = randomTensor([b, h, 3, dh], seed: 72)
        let k2 = randomTensor([b, h, 2, dh], seed: 73), v2 = randomTensor([b, h, 2, dh], seed: 74)
        cache.append(keys: k1, values: v1)
        cache.append(keys: k2, values: v2)
        XCTAssertEqual(cache.length, 5)
        let allK = Tensor.concat([k1, k2], axis: 2), allV = Tensor.concat([v1, v2], axis: 2)
        assertClose(cache.keyTensor, allK, tolerance: 0)
        let g = Graph(recording: false)
        // One query per (b, h) against the cache plus one extra (uncached) position, with a per-key bias and a mask.
        for tq in [1, 6] {
            let q = randomTensor([b, h, tq, dh], seed: 75)
            let ek = randomTensor([b, h, 1, dh], seed: 76), ev = randomTensor([b, h, 1, dh], seed: 77)
            let bias = randomTensor([b, h, 1, 6], seed: 78)
            var mask = Tensor(zeros: [b, 1, tq, 6])
            mask[1, 0, 0, 2] = -.infinity
            let got = cache.attention(q: q, scale: 0.5, extraKeys: ek, extraValues: ev, bias: bias, mask: mask)
            let expected = attention(q: g.constant(q), k: g.constant(Tensor.concat([allK, ek], axis: 2)),
                                     v: g.constant(Tensor.concat([allV, ev], axis: 2)), scale: 0.5,
                                     bias: g.constant(bias), mask: mask).value
            assertClose(got, expected, tolerance: 1e-5)
        }
        cache.truncate(to: 3)
        assertClose(cache.valueTensor, v1, tolerance: 0)
        let q = randomTensor([b, h, 1, dh], seed: 79)
        assertClose(cache.attention(q: q, scale: 1),
                    attention(q: g.constant(q), k: g.constant(k1), v: g.constant(v1), scale: 1).value, tolerance: 1e-5)
        XCTAssertEqual(KVCache(batch: b, heads: h, headDim: dh).attention(q: q, scale: 1), Tensor(zeros: [b, h, 1, dh]))
    }
}
