import CBLAS
import Dispatch

/// `Y = X·Wᵀ` (or `Y += X·Wᵀ`) for few rows of X: the product of a linear layer at inference.
///
/// OpenBLAS packs W on every call, which for M ≲ 100 rows costs as much as the multiplication;
/// the vector kernel (`TensorKernels.rowTimesTransposed`, AVX-512 or AVX2) reads W in place (dot
/// products of rows) and streams it once.
/// Measured single-threaded on the 2-core EPYC (AVX-512): 94 vs 62 GFLOP/s (OpenBLAS) at 21 × 1536 × 512,
/// 94 vs 86 at 70 × 1536 × 512, equal at 137 × 2048 × 512 (M × N × K).
enum RowTimesTransposed {
    /// Whether this kernel beats OpenBLAS for `m` rows and inner dimension `k` (measured
    /// single-threaded, W in cache): always for m ≤ 4 (the alternative is scalar loops); for wide
    /// rows (k ≥ 256, the linear layers of the `paper` preset) up to ~160 rows, where packing W
    /// stops dominating; never for short rows (k ≤ 128: 42–79 vs 65–100 GFLOP/s), where the
    /// per-output horizontal sums cost too much — so training batches keep OpenBLAS.
    static func isFaster(m: Int, k: Int) -> Bool {
        m <= 4 || k >= 256 && m <= 160
    }

    /// Products of at least this many multiply-adds split W's rows over the cores (below it the
    /// hand-off, ~10 µs, costs more than it saves). Low, because one-row products with a big W
    /// (the adaLN projections, 512 × 6144 for the `paper` preset) are bound by streaming W from
    /// memory, which two cores do faster than one.
    static let parallelWork = 1 << 20

    /// `y[m, n] (+)= x[m, k] · w[n, k]ᵀ` on the kernels of `path` (not `portable`), row-major with
    /// leading dimensions. Splits the n columns over the cores when the product is large, the caller is not itself a parallel task and
    /// OpenBLAS may use more than one thread (so a caller already running one product per core
    /// stays on its own core).
    static func product(on path: KernelPath, m: Int, n: Int, k: Int, x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
                        accumulate: Bool, y: UnsafeMutablePointer<Float>, ldy: Int) {
        let workers = Parallel.workerCount
        guard workers > 1, m * n * k >= parallelWork, n >= 12, !Parallel.isInsideTask, openblas_get_num_threads() > 1 else {
            path.rowTimesTransposed(m: m, columns: 0, to: n, k: k, x: x, ldx: ldx, w: w, ldw: ldw,
                                    y: y, ldy: ldy, accumulate: accumulate)
            return
        }
        // Chunks of whole 6-column tiles, one per core.
        let tiles = (n + 5) / 6
        let chunks = min(workers, tiles)
        let pointers = UncheckedSendable((x, w, y))
        let path = path
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let (x, w, y) = pointers.value
            let lo = min(n, tiles * c / chunks * 6), hi = min(n, tiles * (c + 1) / chunks * 6)
            if lo < hi {
                path.rowTimesTransposed(m: m, columns: lo, to: hi, k: k, x: x, ldx: ldx, w: w, ldw: ldw,
                                        y: y, ldy: ldy, accumulate: accumulate)
            }
        }
    }
}
