import Dispatch
import Foundation
import Tensors

/// The inference arithmetic of the pretrained encoders, on row-major matrices given as pointers
/// into an ``EncoderArena`` or the weights (no autodiff: the encoders are frozen). Pointers, not
/// `[Float]`, so that no step allocates or copies and the loops carry no bounds checks (this module
/// keeps them elsewhere, for the parsers). Products go through ``Tensors/BLAS``.
enum EncoderMath {
    /// Column pieces per core of a split product: more pieces than cores, taken dynamically, so
    /// that on a shared machine a core that is descheduled for a while leaves its work to the other
    /// instead of the whole product waiting for it.
    static let piecesPerCore = 4
    /// Below this many multiply-adds a product runs on one core (the hand-off costs ~10 µs).
    static let parallelWork = 1 << 20

    /// `y[rows, out] = x[rows, inner] · wᵀ (+ bias)`, or `y += x · wᵀ (+ bias)` when `accumulate`;
    /// `w` is `[out, inner]` as PyTorch stores a linear layer, read in place (no transpose, no copy).
    /// `x`'s rows are `xStride` apart (default `inner`).
    /// One split over the cores: each piece is a single-threaded product on a share of W's rows,
    /// so W streams from memory once and OpenBLAS's threads never compete with ours.
    static func linear(_ x: UnsafePointer<Float>, rows: Int, inner: Int, _ w: UnsafePointer<Float>, out: Int,
                       bias: UnsafePointer<Float>? = nil, into y: UnsafeMutablePointer<Float>, accumulate: Bool = false,
                       xStride: Int? = nil, routine: ProductRoutine? = nil, piecesPerCore: Int = piecesPerCore) {
        let routine = routine ?? ProductRoutine.fastest(rows: rows)
        let pointers = ProductOperands(x: x, xStride: xStride ?? inner, w: w, y: y, routine: routine)
        let work = rows * out * inner
        let pieces = work >= parallelWork && Parallel.workerCount > 1 && !Parallel.isInsideTask
            ? min(Parallel.workerCount * piecesPerCore, max(1, out / 48)) : 1
        if pieces == 1 {
            product(pointers, rows: rows, inner: inner, out: out, columns: 0..<out, accumulate: accumulate)
        } else {
            Parallel.withSingleThreadedBLAS {
                DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                    // Pieces of whole 16-column groups (the kernels' widths divide into them).
                    let groups = (out + 15) / 16
                    let lo = min(out, groups * piece / pieces * 16), hi = min(out, groups * (piece + 1) / pieces * 16)
                    if lo < hi { product(pointers, rows: rows, inner: inner, out: out, columns: lo..<hi, accumulate: accumulate) }
                }
            }
        }
        if let bias {
            for r in 0..<rows {
                let row = y + r * out
                for j in 0..<out { row[j] += bias[j] }
            }
        }
    }

    /// Columns `columns` of the product, single-threaded when called from a piece.
    private static func product(_ p: ProductOperands, rows: Int, inner: Int, out: Int, columns: Range<Int>, accumulate: Bool) {
        switch p.routine {
        case .dispatched:
            BLAS.gemm(transposeB: true, m: rows, n: columns.count, k: inner, a: p.x, lda: p.xStride,
                      b: p.w + columns.lowerBound * inner, ldb: inner, beta: accumulate ? 1 : 0,
                      c: p.y + columns.lowerBound, ldc: out)
        case .openBLAS:
            BLAS.openBLASGemm(transposeB: true, m: rows, n: columns.count, k: inner, a: p.x, lda: p.xStride,
                              b: p.w + columns.lowerBound * inner, ldb: inner, beta: accumulate ? 1 : 0,
                              c: p.y + columns.lowerBound, ldc: out)
        }
    }

    /// LayerNorm over each row of width `width`, in place (biased variance, as PyTorch).
    static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>, epsilon: Float) {
        for r in 0..<rows {
            let row = x + r * width
            var mean: Float = 0
            for i in 0..<width { mean += row[i] }
            mean /= Float(width)
            var variance: Float = 0
            for i in 0..<width { let d = row[i] - mean; variance += d * d }
            variance /= Float(width)
            let scale = 1 / (variance + epsilon).squareRoot()
            for i in 0..<width { row[i] = (row[i] - mean) * scale * weight[i] + bias[i] }
        }
    }

    /// T5's RMS norm of each row of `x` into `y`: divided by its root mean square, times `weight`;
    /// no mean, no bias. `y` may be `x`.
    static func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                        epsilon: Float, into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = x + r * width, out = y + r * width
            var meanSquare: Float = 0
            for i in 0..<width { meanSquare += row[i] * row[i] }
            meanSquare /= Float(width)
            let scale = 1 / (meanSquare + epsilon).squareRoot()
            for i in 0..<width { out[i] = row[i] * scale * weight[i] }
        }
    }

    /// Self-attention of `n` tokens for all heads in one pass (the heads split over the cores).
    /// `qkv` is `[n, 3 · heads · headWidth]`: each row its query, key and value, as the fused
    /// projection writes them. Scores are scaled by `scale` and, when given, offset by
    /// `bias[head, query, key]`; `scores` holds `heads · n · n` values of scratch. Writes
    /// `[n, heads · headWidth]` into `out`.
    static func attention(qkv: UnsafePointer<Float>, n: Int, heads: Int, headWidth: Int, scale: Float,
                          bias: UnsafePointer<Float>?, scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let width = heads * headWidth, stride = 3 * width
        let pointers = AttentionOperands(qkv: qkv, bias: bias, scores: scores, out: out)
        // Each head's products are tiny (20 × 20 × 64 for a sentence): one head per piece, single-threaded.
        Parallel.forEach(heads) { h in
            let s = pointers.scores + h * n * n
            BLAS.gemm(transposeB: true, m: n, n: n, k: headWidth, alpha: scale,
                      a: pointers.qkv + h * headWidth, lda: stride,
                      b: pointers.qkv + width + h * headWidth, ldb: stride, c: s)
            if let bias = pointers.bias {
                let b = bias + h * n * n
                for i in 0..<(n * n) { s[i] += b[i] }
            }
            softmaxRows(s, rows: n, width: n)
            BLAS.gemm(m: n, n: headWidth, k: n, a: s, b: pointers.qkv + 2 * width + h * headWidth, ldb: stride,
                      c: pointers.out + h * headWidth, ldc: width)
        }
    }

    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let row = x + r * width
            var largest = -Float.infinity
            for i in 0..<width { largest = max(largest, row[i]) }
            var sum: Float = 0
            for i in 0..<width { let e = Foundation.exp(row[i] - largest); row[i] = e; sum += e }
            for i in 0..<width { row[i] /= sum }
        }
    }

    /// `x += y` over `count` values.
    static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }
}

/// The feed-forward activations of the supported configurations.
enum Activation: String, Sendable {
    /// The exact GELU, `x · Φ(x)` (BERT's `gelu`).
    case gelu
    /// The tanh approximation (`gelu_new`, `gelu_pytorch_tanh`: T5 v1.1's gated-GELU).
    case geluTanh
    case relu
    case silu

    /// The activation a `hidden_act` / `dense_act_fn` name means, or nil.
    init?(huggingFaceName name: String) {
        switch name {
        case "gelu": self = .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": self = .geluTanh
        case "relu": self = .relu
        case "silu", "swish": self = .silu
        default: return nil
        }
    }

    /// Applies the activation to `count` values in place.
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .gelu: for i in 0..<count { x[i] = 0.5 * x[i] * (1 + Foundation.erf(x[i] / Float(2).squareRoot())) }
        case .geluTanh:
            let c = Float((2 / Double.pi).squareRoot())
            for i in 0..<count { let v = x[i]; x[i] = 0.5 * v * (1 + Foundation.tanh(c * (v + 0.044715 * v * v * v))) }
        case .relu: for i in 0..<count { x[i] = max(0, x[i]) }
        case .silu: for i in 0..<count { x[i] = x[i] / (1 + Foundation.exp(-x[i])) }
        }
    }
}

/// Which routine multiplies each piece of a split product.
enum ProductRoutine: Sendable {
    /// ``Tensors/BLAS/gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``: the
    /// hand-written kernels for few rows where the CPU has them, else OpenBLAS.
    case dispatched
    /// OpenBLAS's sgemm always.
    case openBLAS

    /// The encoders' routine for `rows` tokens. A sentence's products (20 × 768 · 768 × 2304ᵀ and
    /// the like, W streamed from memory) ran 2.5 times faster in OpenBLAS than in the AVX-512 X·Wᵀ
    /// kernel `BLAS.gemm` dispatches to (`bench text-encode --products`, Docs/text-encoders.md
    /// "Speed"); up to 4 rows `BLAS.gemm`'s direct loops or kernel beat sgemm's set-up.
    static func fastest(rows: Int) -> ProductRoutine {
        rows <= 4 ? .dispatched : .openBLAS
    }
}

/// The operands of a product split over threads: each piece writes its own columns of `y`.
private struct ProductOperands: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let xStride: Int
    let w: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
    let routine: ProductRoutine
}

/// The operands of attention split over heads: each head writes its own scores and output columns.
private struct AttentionOperands: @unchecked Sendable {
    let qkv: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let scores: UnsafeMutablePointer<Float>
    let out: UnsafeMutablePointer<Float>
}
