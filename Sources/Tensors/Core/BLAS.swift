import CBLAS

/// Row-major `cblas_sgemm` wrappers.
public enum BLAS {
    /// `C[m,n] = alpha · op(A) · op(B) + beta · C`, row-major, where `op` transposes when asked.
    /// `A` is `[m,k]` (or `[k,m]` transposed), `B` is `[k,n]` (or `[n,k]` transposed).
    @inline(__always)
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
                            b: UnsafePointer<Float>, ldb: Int? = nil,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil) {
        gemm(on: KernelPath.current, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
             alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// ``gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)`` with the few-row
    /// products on the kernels of `path` (the tests run every path the CPU supports).
    @inline(__always)
    static func gemm(on path: KernelPath, transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                     alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
                     b: UnsafePointer<Float>, ldb: Int? = nil,
                     beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // sgemm with k = 0 must still scale C by beta.
            for i in 0..<m { for j in 0..<n { let p = c + i * (ldc ?? n) + j; p.pointee = beta == 0 ? 0 : beta * p.pointee } }
            return
        }
        if path != .portable && !transposeA {
            let (lda, ldc) = (lda ?? k, ldc ?? n)
            if transposeB && RowTimesTransposed.isFaster(m: m, k: k) && (beta == 0 || alpha == 1 && beta == 1) {
                RowTimesTransposed.product(on: path, m: m, n: n, k: k, x: a, ldx: lda, w: b, ldw: ldb ?? k,
                                           accumulate: beta == 1, y: c, ldy: ldc)
                if alpha != 1 { for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= alpha } } }
                return
            }
            if !transposeB && m <= 4 && alpha == 1 {
                path.rowsTimesMatrix(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb ?? n, beta: beta, y: c, ldy: ldc)
                return
            }
        }
        if m <= 4 && !transposeA {
            // Few rows (streaming attention, one query at a time): direct loops beat sgemm's set-up cost.
            smallGemm(transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda ?? k,
                      b: b, ldb: ldb ?? (transposeB ? k : n), beta: beta, c: c, ldc: ldc ?? n)
            return
        }
        openBLASGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                     a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// `C = alpha · A · op(B) + beta · C` for a handful of rows: dot products (B transposed) or
    /// row-scaled sums of B's rows (vectorised over n).
    @inline(__always)
    static func smallGemm(transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                          b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            let ai = a + i * lda, ci = c + i * ldc
            if transposeB {
                for j in 0..<n {
                    let d = alpha * Vec.dot(ai, b + j * ldb, k)
                    ci[j] = beta == 0 ? d : beta * ci[j] + d
                }
            } else {
                if beta == 0 { ci.update(repeating: 0, count: n) } else if beta != 1 { for j in 0..<n { ci[j] *= beta } }
                for p in 0..<k {
                    let s = alpha * ai[p]
                    let bp = b + p * ldb
                    for j in 0..<n { ci[j] += s * bp[j] }
                }
            }
        }
    }

    /// `count` independent products `C_i = alpha · op(A_i) · op(B_i) + beta · C_i` at fixed strides
    /// (a stride of 0 shares one operand). Small problems run one per core with single-threaded
    /// OpenBLAS; large ones run in turn with OpenBLAS's own threads.
    public static func gemmBatched(count: Int, transposeA: Bool = false, transposeB: Bool = false,
                                   m: Int, n: Int, k: Int, alpha: Float = 1,
                                   a: UnsafePointer<Float>, strideA: Int, b: UnsafePointer<Float>, strideB: Int,
                                   beta: Float = 0, c: UnsafeMutablePointer<Float>, strideC: Int) {
        let flops = m * n * k
        if count == 1 || flops >= 4_000_000 && count < 2 * Parallel.workerCount {
            for i in 0..<count {
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                     a: a + i * strideA, b: b + i * strideB, beta: beta, c: c + i * strideC)
            }
        } else {
            Parallel.forEach(count) { i in
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                     a: a + i * strideA, b: b + i * strideB, beta: beta, c: c + i * strideC)
            }
        }
    }

    /// Sets the number of OpenBLAS threads (for large products outside ``Parallel`` regions).
    public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    /// The number of OpenBLAS threads.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }
}
