internal import TensorKernels
internal import TensorKernelsAVX2

// The kernels of the vector paths, by path. `portable` has none: callers take their own loops (or
// OpenBLAS) when `path == .portable`, so reaching a kernel with it is a programming error.

extension KernelPath {
    /// Columns `n0..<n1` of `y[m, ·] (+)= x[m, k] · w[·, k]ᵀ` (`TensorKernels.rowTimesTransposed`).
    func rowTimesTransposed(m: Int, columns n0: Int, to n1: Int, k: Int,
                            x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
                            y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
        #if arch(x86_64)
        switch self {
        case .avx512:
            TensorKernels.rowTimesTransposed(m: m, columns: n0, to: n1, k: k, x: x, ldx: ldx, w: w, ldw: ldw,
                                             y: y, ldy: ldy, accumulate: accumulate)
        case .avx2:
            TensorKernelsAVX2.rowTimesTransposed(m: m, columns: n0, to: n1, k: k, x: x, ldx: ldx, w: w, ldw: ldw,
                                                 y: y, ldy: ldy, accumulate: accumulate)
        case .portable: noKernel()
        }
        #else
        noKernel()
        #endif
    }

    /// Floats per panel of the packed product on this path (``PackedWeight``): two vectors.
    var panelWidth: Int {
        #if arch(x86_64)
        switch self {
        case .avx512: TensorKernels.packedPanelWidth()
        case .avx2: TensorKernelsAVX2.packedPanelWidth()
        case .portable: noKernel()
        }
        #else
        noKernel()
        #endif
    }

    /// Panels `p0..<p1` of `y[m, n] (+)= x[m, k] · Wᵀ` with W packed for this path
    /// (`TensorKernels.rowsTimesPacked`).
    func rowsTimesPacked(m: Int, n: Int, panels p0: Int, to p1: Int, k: Int, x: UnsafePointer<Float>, ldx: Int,
                         packed: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
        #if arch(x86_64)
        switch self {
        case .avx512:
            TensorKernels.rowsTimesPacked(m: m, n: n, panels: p0, to: p1, k: k, x: x, ldx: ldx, packed: packed,
                                          y: y, ldy: ldy, accumulate: accumulate)
        case .avx2:
            TensorKernelsAVX2.rowsTimesPacked(m: m, n: n, panels: p0, to: p1, k: k, x: x, ldx: ldx, packed: packed,
                                              y: y, ldy: ldy, accumulate: accumulate)
        case .portable: noKernel()
        }
        #else
        noKernel()
        #endif
    }

    /// `y[m, n] = β·y + a[m, k] · b[k, n]` for a few rows (`TensorKernels.rowsTimesMatrix`).
    func rowsTimesMatrix(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                         b: UnsafePointer<Float>, ldb: Int, beta: Float, y: UnsafeMutablePointer<Float>, ldy: Int) {
        #if arch(x86_64)
        switch self {
        case .avx512: TensorKernels.rowsTimesMatrix(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, y: y, ldy: ldy)
        case .avx2: TensorKernelsAVX2.rowsTimesMatrix(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, y: y, ldy: ldy)
        case .portable: noKernel()
        }
        #else
        noKernel()
        #endif
    }

    /// `y = softmax(x)` over `n` values; false, with nothing written, when every x is −∞
    /// (`TensorKernels.softmax`).
    func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) -> Bool {
        #if arch(x86_64)
        switch self {
        case .avx512: return TensorKernels.softmax(x, y, count: n)
        case .avx2: return TensorKernelsAVX2.softmax(x, y, count: n)
        case .portable: noKernel()
        }
        #else
        noKernel()
        #endif
    }

    private func noKernel() -> Never {
        fatalError("the \(self) kernel path has no vector kernels (callers use their portable loops)")
    }
}
