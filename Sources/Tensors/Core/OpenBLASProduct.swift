import CBLAS

extension BLAS {
    /// `C[m,n] = alpha · op(A) · op(B) + beta · C` by OpenBLAS's `cblas_sgemm` always, never the
    /// hand-written kernels ``gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
    /// dispatches to: for measuring those against OpenBLAS at a caller's shapes
    /// (`hybridsign bench text-encode --products`). Row-major; OpenBLAS uses its own threads unless
    /// called inside ``Parallel/withSingleThreadedBLAS(_:)``.
    public static func openBLASGemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                                    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
                                    b: UnsafePointer<Float>, ldb: Int? = nil,
                                    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil) {
        precondition(m > 0 && n > 0 && k > 0, "openBLASGemm: empty product \(m)×\(n)×\(k)")
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda ?? (transposeA ? m : k)),
                    b, Int32(ldb ?? (transposeB ? k : n)),
                    beta, c, Int32(ldc ?? n))
    }
}
