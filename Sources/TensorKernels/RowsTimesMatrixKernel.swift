#if arch(x86_64)
// Y = β·Y + A·B for a few rows of A (the weighted sum of value rows in one-query attention): per
// row of A, a block of up to 8 vectors of columns of Y (128 with AVX-512, 64 with AVX2) stays in 8
// accumulators while the k rows of B stream past, so each row of B is read once per block and Y
// once at the end.

/// `y[m, n] = β·y + a[m, k] · b[k, n]`, row-major with leading dimensions (in floats). With β = 0,
/// y is only written (its old contents may be anything, even NaN).
///
/// Uses this module's instruction set: call only when the CPU has it (`Tensors.KernelPath`).
@inline(never)
public func rowsTimesMatrix(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int, beta: Float,
                            y: UnsafeMutablePointer<Float>, ldy: Int) {
    let blockWidth = 8 * laneCount
    for i in 0..<m {
        let ai = a + i * lda
        let yi = y + i * ldy
        var j = 0
        while j + blockWidth <= n {
            block8(k: k, a: ai, b: b + j, ldb: ldb, beta: beta, y: yi + j)
            j += blockWidth
        }
        let wholeVectors = (n - j) / laneCount
        if wholeVectors > 0 {
            // The rest in one pass over B (e.g. a head width of 32 or 64 is 2 or 4 AVX-512 vectors).
            block(vectors: wholeVectors, k: k, a: ai, b: b + j, ldb: ldb, beta: beta, y: yi + j)
            j += laneCount * wholeVectors
        }
        if j < n { blockTail(k: k, a: ai, b: b + j, ldb: ldb, beta: beta, y: yi + j, count: n - j) }
    }
}

/// 8 vectors of columns: 8 accumulators.
@inline(always)
private func block8(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                    y: UnsafeMutablePointer<Float>) {
    block(vectors: 8, k: k, a: a, b: b, ldb: ldb, beta: beta, y: y)
}

/// `laneCount` × `vectors` columns (1 ≤ `vectors` ≤ 8), one accumulator per vector; accumulators
/// past `vectors` are skipped (a branch that always goes the same way within a call).
@inline(always)
private func block(vectors: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                   y: UnsafeMutablePointer<Float>) {
    let w = laneCount
    var c0 = Lanes(), c1 = Lanes(), c2 = Lanes(), c3 = Lanes(), c4 = Lanes(), c5 = Lanes(), c6 = Lanes(), c7 = Lanes()
    for p in 0..<k {
        let s = Lanes(repeating: a[p])
        let bp = b + p * ldb
        c0 = c0.addingProduct(s, bp.lanes())
        if vectors > 1 { c1 = c1.addingProduct(s, (bp + w).lanes()) }
        if vectors > 2 { c2 = c2.addingProduct(s, (bp + 2 * w).lanes()) }
        if vectors > 3 { c3 = c3.addingProduct(s, (bp + 3 * w).lanes()) }
        if vectors > 4 { c4 = c4.addingProduct(s, (bp + 4 * w).lanes()) }
        if vectors > 5 { c5 = c5.addingProduct(s, (bp + 5 * w).lanes()) }
        if vectors > 6 { c6 = c6.addingProduct(s, (bp + 6 * w).lanes()) }
        if vectors > 7 { c7 = c7.addingProduct(s, (bp + 7 * w).lanes()) }
    }
    put(c0, y, beta)
    if vectors > 1 { put(c1, y + w, beta) }
    if vectors > 2 { put(c2, y + 2 * w, beta) }
    if vectors > 3 { put(c3, y + 3 * w, beta) }
    if vectors > 4 { put(c4, y + 4 * w, beta) }
    if vectors > 5 { put(c5, y + 5 * w, beta) }
    if vectors > 6 { put(c6, y + 6 * w, beta) }
    if vectors > 7 { put(c7, y + 7 * w, beta) }
}

/// The last `count` < `laneCount` columns: one accumulator; reads and writes only `count` columns.
@inline(always)
private func blockTail(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                       y: UnsafeMutablePointer<Float>, count: Int) {
    var c = Lanes()
    for p in 0..<k { c = c.addingProduct(Lanes(repeating: a[p]), (b + p * ldb).lanes(count: count)) }
    let old = beta == 0 ? Lanes() : UnsafePointer(y).lanes(count: count)
    y.store(beta == 0 ? c : c.addingProduct(Lanes(repeating: beta), old), count: count)
}

/// Stores `c`, or `c + β·y` when β ≠ 0, into `laneCount` floats at `y`.
@inline(always)
private func put(_ c: Lanes, _ y: UnsafeMutablePointer<Float>, _ beta: Float) {
    y.store(beta == 0 ? c : c.addingProduct(Lanes(repeating: beta), UnsafePointer(y).lanes()))
}
#endif
