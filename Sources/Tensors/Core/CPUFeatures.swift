import CBLAS

/// Instruction-set extensions the hand-written kernels (Sources/CBLAS/gemm_xwt.h) need, read once.
/// Without them every product goes to OpenBLAS and every row kernel to the portable Swift loops.
enum CPUFeatures {
    /// AVX-512 F and DQ, supported by the CPU and enabled by the OS.
    static let hasAVX512: Bool = hybridsign_has_avx512() != 0
}
