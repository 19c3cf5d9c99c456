// Y = β·Y + A·B for a few rows of A (the weighted sum of value rows in one-query attention): per
// row of A, a block of up to 128 columns of Y stays in up to 8 AVX-512 accumulators while the k rows
// of B stream past, so each row of B is read once per block and Y once at the end.

/// `y[m, n] = β·y + a[m, k] · b[k, n]`, row-major with leading dimensions (in floats). With β = 0,
/// y is only written (its old contents may be anything, even NaN).
///
/// Uses AVX-512: call only when the CPU has it (`Tensors.CPUFeatures.hasAVX512`).
@inline(never)
public func rowsTimesMatrix(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int, beta: Float,
                            y: UnsafeMutablePointer<Float>, ldy: Int) {
    for i in 0..<m {
        let ai = a + i * lda
        let yi = y + i * ldy
        var j = 0
        while j + 128 <= n {
            block128(k: k, a: ai, b: b + j, ldb: ldb, beta: beta, y: yi + j)
            j += 128
        }
        let wholeVectors = (n - j) / 16
        if wholeVectors > 0 {
            // The rest in one pass over B (e.g. a head width of 32 or 64 is 2 or 4 vectors).
            block(vectors: wholeVectors, k: k, a: ai, b: b + j, ldb: ldb, beta: beta, y: yi + j)
            j += 16 * wholeVectors
        }
        if j < n { blockTail(k: k, a: ai, b: b + j, ldb: ldb, beta: beta, y: yi + j, count: n - j) }
    }
}

/// 128 columns: 8 accumulators.
@inline(always)
private func block128(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                      y: UnsafeMutablePointer<Float>) {
    block(vectors: 8, k: k, a: a, b: b, ldb: ldb, beta: beta, y: y)
}

/// 16 × `vectors` columns (1 ≤ `vectors` ≤ 8), one accumulator per 16; accumulators past
/// `vectors` are skipped (a branch that always goes the same way within a call).
@inline(always)
private func block(vectors: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                   y: UnsafeMutablePointer<Float>) {
    var c0 = Lanes(), c1 = Lanes(), c2 = Lanes(), c3 = Lanes(), c4 = Lanes(), c5 = Lanes(), c6 = Lanes(), c7 = Lanes()
    for p in 0..<k {
        let s = Lanes(repeating: a[p])
        let bp = b + p * ldb
        c0 = c0.addingProduct(s, bp.lanes())
        if vectors > 1 { c1 = c1.addingProduct(s, (bp + 16).lanes()) }
        if vectors > 2 { c2 = c2.addingProduct(s, (bp + 32).lanes()) }
        if vectors > 3 { c3 = c3.addingProduct(s, (bp + 48).lanes()) }
        if vectors > 4 { c4 = c4.addingProduct(s, (bp + 64).lanes()) }
        if vectors > 5 { c5 = c5.addingProduct(s, (bp + 80).lanes()) }
        if vectors > 6 { c6 = c6.addingProduct(s, (bp + 96).lanes()) }
        if vectors > 7 { c7 = c7.addingProduct(s, (bp + 112).lanes()) }
    }
    put(c0, y, beta)
    if vectors > 1 { put(c1, y + 16, beta) }
    if vectors > 2 { put(c2, y + 32, beta) }
    if vectors > 3 { put(c3, y + 48, beta) }
    if vectors > 4 { put(c4, y + 64, beta) }
    if vectors > 5 { put(c5, y + 80, beta) }
    if vectors > 6 { put(c6, y + 96, beta) }
    if vectors > 7 { put(c7, y + 112, beta) }
}

/// The last `count` < 16 columns: one accumulator; reads and writes only `count` columns.
@inline(always)
private func blockTail(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                     y: UnsafeMutablePointer<Float>, count: Int) {
    var c = Lanes()
    for p in 0..<k { c = c.addingProduct(Lanes(repeating: a[p]), (b + p * ldb).lanes(count: count)) }
    let old = beta == 0 ? Lanes() : UnsafePointer(y).lanes(count: count)
    y.store(beta == 0 ? c : c.addingProduct(Lanes(repeating: beta), old), count: count)
}

/// Stores `c`, or `c + β·y` when β ≠ 0, into 16 floats at `y`.
@inline(always)
private func put(_ c: Lanes, _ y: UnsafeMutablePointer<Float>, _ beta: Float) {
    y.store(beta == 0 ? c : c.addingProduct(Lanes(repeating: beta), UnsafePointer(y).lanes()))
}
