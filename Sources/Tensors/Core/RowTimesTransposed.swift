import CBLAS
import Dispatch

/// `Y = X·Wᵀ` (or `Y += X·Wᵀ`) on the vector kernels: the product of a linear layer.
///
/// OpenBLAS packs W on every call, which for M ≲ 100 rows costs as much as the multiplication.
/// Two kernels avoid that. A weight that stays the same across calls (a ``Parameter``) is packed
/// once per value (``PackedWeight``) and multiplied at any M by `TensorKernels.rowsTimesPacked`
/// (outer products along W's columns). Other operands with few rows (a query against cached keys,
/// the folded cross-attention) go to `TensorKernels.rowTimesTransposed`, which reads W in place
/// (dot products of rows) and streams it once: measured single-threaded on the 2-core EPYC
/// (AVX-512), 94 vs 62 GFLOP/s (OpenBLAS) at 21 × 1536 × 512, 94 vs 86 at 70 × 1536 × 512, equal
/// at 137 × 2048 × 512 (M × N × K).
enum RowTimesTransposed {
    /// Whether the in-place kernel beats OpenBLAS for `m` rows and inner dimension `k` (measured
    /// single-threaded, W in cache): always for m ≤ 4 (the alternative is scalar loops); for wide
    /// rows (k ≥ 256) up to ~160 rows, where packing W stops dominating; never for short rows
    /// (k ≤ 128: 42–79 vs 65–100 GFLOP/s), where the per-output horizontal sums cost too much.
    static func isFaster(m: Int, k: Int) -> Bool {
        m <= 4 || k >= 256 && m <= 160
    }

    /// Whether a product with a weight that stays the same across calls (a ``Parameter``) runs on
    /// the packed kernels. With no horizontal sums they beat single-threaded OpenBLAS at every
    /// shape measured (C replica of the AVX-512 kernel, GFLOP/s a core: 109 vs 98 at
    /// 1120 × 1536 × 512, 109 vs 102 at 5480 × 1536 × 512, 104 vs 95 at 5480 × 512 × 256, 103 vs
    /// 74 at 40 × 256 × 128), and packing W costs one pass over it per value.
    /// - `avx512`: at any number of rows; they also beat the in-place kernel (97 vs 75 at
    ///   70 × 1536 × 512 with W cold; the `paper` stream's linear layers 86 → 108–112 GFLOP/s).
    /// - `avx2`: where the in-place kernel does not run (``isFaster(m:k:)``): its 4 × 3 tile streams
    ///   the `paper` preset faster than the 6-row packed tile (7 alternated runs, medians: 47.5
    ///   against 42.8 frames/s).
    static func usesPacked(on path: KernelPath, m: Int, k: Int) -> Bool {
        guard k > 0, m > 0 else { return false }
        switch path {
        case .avx512: return true
        case .avx2: return !isFaster(m: m, k: k)
        case .portable: return false
        }
    }

    /// Products of at least this many multiply-adds split W's rows over the cores (below it the
    /// hand-off, ~10 µs, costs more than it saves). Low, because one-row products with a big W
    /// (the adaLN projections, 512 × 6144 for the `paper` preset) are bound by streaming W from
    /// memory, which two cores do faster than one.
    static let parallelWork = 1 << 20

    /// `y[m, n] (+)= x[m, k] · w[n, k]ᵀ` on the kernels of `path` (not `portable`), row-major with
    /// leading dimensions. Spreads whole 6-column tiles over the cores when the product is large
    /// (``distribute(_:chunk:large:_:)``).
    static func product(on path: KernelPath, m: Int, n: Int, k: Int, x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
                        accumulate: Bool, y: UnsafeMutablePointer<Float>, ldy: Int) {
        let pointers = UncheckedSendable((x, w, y))
        // In whole 6-column tiles; a core whose task is done takes 20 tiles (120 columns) at a time.
        distribute((n + 5) / 6, chunk: 20, large: m * n * k >= parallelWork && n >= 12) { lo, hi in
            let (x, w, y) = pointers.value
            path.rowTimesTransposed(m: m, columns: lo * 6, to: min(n, hi * 6), k: k, x: x, ldx: ldx, w: w, ldw: ldw,
                                    y: y, ldy: ldy, accumulate: accumulate)
        }
    }

    /// `y[m, n] (+)= x[m, k] · Wᵀ` with W packed (``PackedWeight``, on its path's kernels). Spreads
    /// the panels over the cores when the product is large (``distribute(_:chunk:large:_:)``), or
    /// the rows when W has fewer panels than there are cores. Each output is computed whole by one
    /// core, in the same order whatever the split.
    static func product(m: Int, k: Int, x: UnsafePointer<Float>, ldx: Int, packed: PackedWeight,
                        accumulate: Bool, y: UnsafeMutablePointer<Float>, ldy: Int) {
        let n = packed.outputs
        requireShape(packed.inputs == k, "RowTimesTransposed: packed weight has \(packed.inputs) inputs, not \(k)")
        guard m > 0, n > 0 else { return }
        let path = packed.path
        let panels = packed.panelCount
        let pointers = UncheckedSendable((x, packed.panels, y))
        let large = m * n * k >= parallelWork
        if large, WorkSharing.current == nil, coresAreFree, panels < Parallel.workerCount {
            // Few panels (a narrow W): the rows instead.
            distribute(m, chunk: m, large: true) { lo, hi in
                let (x, panelPointer, y) = pointers.value
                path.rowsTimesPacked(m: hi - lo, n: n, panels: 0, to: panels, k: k, x: x + lo * ldx, ldx: ldx,
                                     packed: panelPointer, y: y + lo * ldy, ldy: ldy, accumulate: accumulate)
            }
            return
        }
        // A core whose task is done takes ~128 columns at a time.
        distribute(panels, chunk: max(1, 128 / packed.panelWidth), large: large) { lo, hi in
            let (x, panelPointer, y) = pointers.value
            path.rowsTimesPacked(m: m, n: n, panels: lo, to: hi, k: k, x: x, ldx: ldx, packed: panelPointer,
                                 y: y, ldy: ldy, accumulate: accumulate)
        }
    }

    /// Whether a product may spread over the cores from this thread: there are several, the caller
    /// is not itself a parallel task, and OpenBLAS may use more than one thread (so a caller
    /// already running one product per core stays on its own core).
    private static var coresAreFree: Bool {
        Parallel.workerCount > 1 && !Parallel.isInsideTask && openblas_get_num_threads() > 1
    }

    /// Runs `run(lo, hi)` over the units `0..<units` of a product (whole tiles of columns, panels
    /// or rows; each computes whole outputs): inside a task of `Parallel.concurrently`, in chunks
    /// of `chunk` units offered to a core whose task is done (``WorkSharing``); else, when `large`
    /// and the cores are free, one even share per core; else all at once on this thread.
    private static func distribute(_ units: Int, chunk: Int, large: Bool, _ run: @escaping @Sendable (Int, Int) -> Void) {
        if large, let sharing = WorkSharing.current {
            sharing.share(units, inRangesOf: chunk) { run($0.lowerBound, $0.upperBound) }
        } else if large, coresAreFree {
            let shares = min(Parallel.workerCount, units)
            DispatchQueue.concurrentPerform(iterations: shares) { c in
                let lo = units * c / shares, hi = units * (c + 1) / shares
                if lo < hi { run(lo, hi) }
            }
        } else {
            run(0, units)
        }
    }
}
