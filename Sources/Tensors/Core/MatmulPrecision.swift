import BFloat16Kernels

/// The precision of the linear layers' products in a graph (``Graph/matmulPrecision``), as
/// PyTorch's `torch.autocast(dtype=torch.bfloat16)` or `set_float32_matmul_precision`: tensors stay
/// float32, and in `bf16` each product `op(A) · op(B)` of a linear layer (its value, tangents and
/// gradients) rounds A and B to bfloat16 (8 bits of mantissa, float32's range) and sums the
/// products in float32. Attention, norms and everything else stay float32.
public enum MatmulPrecision: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// Float32 products (the default).
    case fp32
    /// Operands rounded to bfloat16, float32 sums: mixed-precision training.
    case bf16

    public var description: String { rawValue }

    /// How a `bf16` product runs on this machine with the kernels of `path`.
    public static func bfloat16Route(on path: KernelPath = .current) -> BFloat16Route {
        path == .avx512 && CPUSupport.avx512BFloat16 ? .kernel : .emulated
    }
}

/// How a bfloat16 product is computed (the same numbers either way, up to the order of the
/// float32 sums).
public enum BFloat16Route: String, Sendable, CustomStringConvertible {
    /// The AVX-512 BF16 kernel (`vdpbf16ps`: a pair of bfloat16 products per float32 lane).
    case kernel
    /// Operands rounded to bfloat16, then a float32 sgemm: no faster than `fp32`, for CPUs (or a
    /// forced `HYBRIDSIGN_KERNELS` path) without the instruction.
    case emulated

    public var description: String { rawValue }

    /// A line saying how bf16 products run here, for the start of a run.
    public var note: String {
        switch self {
        case .kernel: "bf16 products on the AVX-512 BF16 kernel"
        case .emulated:
            "bf16 products emulated (operands rounded to bfloat16, then a float32 sgemm): the same numbers, "
                + "but no faster than fp32, because \(KernelPath.current == .avx512 ? "this CPU lacks AVX512_BF16" : "the \(KernelPath.current) kernel path has no bf16 kernel")"
        }
    }
}

/// Products with bfloat16 operands and float32 sums.
public enum BFloat16Products {
    /// The fewest rows of a linear layer's input whose products take bfloat16 operands: below it
    /// (the adaLN projections of a step's few conditionings, inference's one frame) rounding the
    /// weight costs more than the product, which stays float32.
    public static let minimumRows = 256

    /// `C[m,n] = op(A) · op(B) (+ C when accumulate)`, row-major, with A and B rounded to bfloat16.
    /// `A` is `[m,k]` (or `[k,m]` transposed), `B` is `[k,n]` (or `[n,k]` transposed). Outside a
    /// parallel task the rows are split over the cores.
    public static func gemm(on route: BFloat16Route = MatmulPrecision.bfloat16Route(),
                            transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Float>, b: UnsafePointer<Float>, accumulate: Bool,
                            c: UnsafeMutablePointer<Float>) {
        if m == 0 || n == 0 { return }
        switch route {
        case .kernel:
            // Element (i, l) of op(A) and (l, j) of op(B), as (row, column) strides.
            let aStrides = transposeA ? (1, m) : (k, 1)
            let bStrides = transposeB ? (1, k) : (n, 1)
            Parallel.forChunks(m, costPerItem: n * k) { rows in
                hybridsign_bf16_gemm(Int32(rows.count), Int32(n), Int32(k),
                                     a + rows.lowerBound * aStrides.0, aStrides.0, aStrides.1,
                                     b, bStrides.0, bStrides.1,
                                     c + rows.lowerBound * n, n, accumulate ? 1 : 0)
            }
        case .emulated:
            let roundedA = rounded(a, count: m * k), roundedB = rounded(b, count: k * n)
            roundedA.withUnsafeBufferPointer { ra in
                roundedB.withUnsafeBufferPointer { rb in
                    BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                              a: ra.baseAddress!, b: rb.baseAddress!, beta: accumulate ? 1 : 0, c: c)
                }
            }
        }
    }

    /// `count` floats rounded to the nearest bfloat16 (ties to even), as floats.
    public static func rounded(_ values: UnsafePointer<Float>, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: max(count, 1)) { buffer, initialized in
            hybridsign_bf16_round(values, buffer.baseAddress!, count)
            initialized = count
        }
    }
}
