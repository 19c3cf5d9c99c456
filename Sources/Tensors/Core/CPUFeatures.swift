import CBLAS

/// Instruction-set extensions the AVX-512 Swift kernels (module `TensorKernels`, compiled for
/// x86-64-v4) need, read once by a C shim (`hybridsign_has_avx512`). Without them every product goes to OpenBLAS and every row kernel to the portable Swift loops.
enum CPUFeatures {
    /// AVX-512 F/CD/BW/DQ/VL with AVX2, FMA and BMI1/2, supported by the CPU and enabled by the OS.
    static let hasAVX512: Bool = hybridsign_has_avx512() != 0
}
