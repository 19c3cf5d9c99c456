/// Keys and values of past positions for streaming attention (inference only).
///
/// Stored time-major, `[T, B, H, Dh]`, so appending a frame copies only that frame and the cached
/// prefix is always contiguous; attention reads it in place through sgemm's leading dimension.
/// ``attention(q:scale:extraKeys:extraValues:bias:mask:)`` attends over the cache plus optional
/// extra keys that are not stored (e.g. the noisy frame attending to itself during flow steps).
public struct KVCache: Sendable {
    public let batch: Int
    public let heads: Int
    public let headDim: Int
    /// Number of cached positions.
    public private(set) var length: Int = 0
    private var keys: [Float] = []
    private var values: [Float] = []

    /// An empty cache for `[batch, heads, ·, headDim]` keys and values.
    public init(batch: Int, heads: Int, headDim: Int) {
        self.batch = batch
        self.heads = heads
        self.headDim = headDim
    }

    private var rowSize: Int { batch * heads * headDim }

    /// Appends `n` positions: `keys`, `values`: `[B, H, n, Dh]`.
    public mutating func append(keys k: Tensor, values v: Tensor) {
        requireShape(k.rank == 4 && k.shape[0] == batch && k.shape[1] == heads && k.shape[3] == headDim && v.shape == k.shape,
                     "KVCache.append: keys \(k.shape) and values \(v.shape) must both be [\(batch), \(heads), n, \(headDim)]")
        let n = k.shape[2]
        let timeMajor = [2, 0, 1, 3]
        keys += k.permuted(timeMajor).scalars
        values += v.permuted(timeMajor).scalars
        length += n
    }

    /// Forgets positions from `newLength` on.
    public mutating func truncate(to newLength: Int) {
        requireShape(newLength >= 0 && newLength <= length, "KVCache.truncate: \(newLength) not in 0...\(length)")
        keys.removeLast((length - newLength) * rowSize)
        values.removeLast((length - newLength) * rowSize)
        length = newLength
    }

    /// The cached keys as `[B, H, T, Dh]` (a copy; for inspection and tests).
    public var keyTensor: Tensor { Tensor(shape: [length, batch, heads, headDim], scalars: keys).permuted([1, 2, 0, 3]) }
    /// The cached values as `[B, H, T, Dh]` (a copy).
    public var valueTensor: Tensor { Tensor(shape: [length, batch, heads, headDim], scalars: values).permuted([1, 2, 0, 3]) }

    /// `softmax(scale·Q·Kᵀ + bias + mask)·V` over the cached positions followed by `extraKeys`/`extraValues`
    /// (`[B, H, Te, Dh]`, not stored). `q: [B, H, Tq, Dh]` → `[B, H, Tq, Dh]`. `bias` and `mask` are
    /// additive and broadcastable to `[B, H, Tq, T + Te]` (mask: `[B, 1, Tq, T + Te]`), as in
    /// ``attention(q:k:v:scale:bias:mask:)``. A query with every key masked yields zeros.
    public func attention(q: Tensor, scale: Float, extraKeys: Tensor? = nil, extraValues: Tensor? = nil,
                          bias: Tensor? = nil, mask: Tensor? = nil) -> Tensor {
        requireShape(q.rank == 4 && q.shape[0] == batch && q.shape[1] == heads && q.shape[3] == headDim,
                     "KVCache.attention: q \(q.shape) must be [\(batch), \(heads), Tq, \(headDim)]")
        requireShape((extraKeys == nil) == (extraValues == nil), "KVCache.attention: give both extraKeys and extraValues or neither")
        let tq = q.shape[2], dh = headDim, h = heads
        let te = extraKeys?.shape[2] ?? 0
        if let ek = extraKeys, let ev = extraValues {
            requireShape(ek.shape == [batch, heads, te, dh] && ev.shape == ek.shape,
                         "KVCache.attention: extra keys \(ek.shape) and values \(ev.shape) must be [\(batch), \(heads), Te, \(dh)]")
        }
        let tk = length + te
        let logitsShape = [batch, heads, tq, tk]
        let biasFull = bias.map { $0.expanded(to: logitsShape) }
        let maskFull = mask.map { $0.expanded(to: [batch, 1, tq, tk]) }
        let ld = rowSize  // distance between consecutive cached positions of one (b, h)
        let cached = length
        var out = Tensor(zeros: [batch, heads, tq, dh])
        guard tq > 0, tk > 0, batch * heads > 0 else { return out }
        q.withUnsafeBufferPointer { qb in
        keys.withUnsafeBufferPointer { kb in
        values.withUnsafeBufferPointer { vb in
        withOptionalPointer(extraKeys) { ekp in
        withOptionalPointer(extraValues) { evp in
        withOptionalPointer(biasFull) { bp in
        withOptionalPointer(maskFull) { mp in
        out.withUnsafeMutableBufferPointer { ob in
            let qp = qb.baseAddress!, op = ob.baseAddress!
            let kp = kb.baseAddress ?? dummyPointer, vp = vb.baseAddress ?? dummyPointer
            let work = {
                (i: Int, s: UnsafeMutablePointer<Float>) in
                let (bi, _) = (i / h, i % h)
                let qi = qp + i * tq * dh, oi = op + i * tq * dh
                if cached > 0 {
                    BLAS.gemm(transposeB: true, m: tq, n: cached, k: dh, alpha: scale, a: qi, b: kp + i * dh, ldb: ld, c: s, ldc: tk)
                }
                if let ekp, te > 0 {
                    BLAS.gemm(transposeB: true, m: tq, n: te, k: dh, alpha: scale, a: qi, b: ekp + i * te * dh, c: s + cached, ldc: tk)
                }
                if let bp { let base = bp + i * tq * tk; for j in 0..<(tq * tk) { s[j] += base[j] } }
                if let mp { let base = mp + bi * tq * tk; for j in 0..<(tq * tk) { s[j] += base[j] } }
                for r in 0..<tq { RowKernels.softmax(s + r * tk, s + r * tk, tk) }
                if cached > 0 {
                    BLAS.gemm(m: tq, n: dh, k: cached, a: s, lda: tk, b: vp + i * dh, ldb: ld, c: oi)
                }
                if let evp, te > 0 {
                    BLAS.gemm(m: tq, n: dh, k: te, a: s + cached, lda: tk, b: evp + i * te * dh, beta: cached > 0 ? 1 : 0, c: oi)
                }
            }
            Parallel.forEach(batch * heads) { i in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: tq * tk) { scratch in work(i, scratch.baseAddress!) }
            }
        } } } } } } } }
        return out
    }
}

extension KVCache {
    /// ``attention(q:scale:extraKeys:extraValues:bias:mask:)`` on graph nodes, for samplers written with
    /// ``Var``s. Inference only: the result is a constant (no gradient, no tangent), so inputs must not
    /// require gradients or carry tangents.
    public func attention(q: Var, scale: Float, extraKeys: Var? = nil, extraValues: Var? = nil,
                          bias: Var? = nil, mask: Tensor? = nil) -> Var {
        let inputs = [q] + [extraKeys, extraValues, bias].compactMap { $0 }
        requireShape(inputs.allSatisfy { !$0.requiresGrad && $0.tangent == nil },
                     "KVCache.attention is inference-only: its inputs must not require gradients or carry tangents")
        let y = attention(q: q.value, scale: scale, extraKeys: extraKeys?.value, extraValues: extraValues?.value,
                          bias: bias?.value, mask: mask)
        return Var(op: "kvCacheAttention", value: y, tangent: nil, graph: q.graph, requiresGrad: false)
    }
}
