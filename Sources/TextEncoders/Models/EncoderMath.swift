import Foundation
import Tensors

/// The inference arithmetic of the pretrained encoders, on row-major `[Float]` matrices (no
/// autodiff: the encoders are frozen). Products go through ``Tensors/BLAS``.
enum EncoderMath {
    /// `x[rows, in] · wᵀ + b`, `w` being `[out, in]` as PyTorch stores a linear layer.
    static func linear(_ x: [Float], rows: Int, _ w: [Float], out: Int, bias: [Float]? = nil) -> [Float] {
        let inner = x.count / max(rows, 1)
        var y = [Float](repeating: 0, count: rows * out)
        if let bias { for r in 0..<rows { for j in 0..<out { y[r * out + j] = bias[j] } } }
        let beta: Float = bias == nil ? 0 : 1
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    let (a, b, c) = (xp.baseAddress!, wp.baseAddress!, yp.baseAddress!)
                    // Few rows: OpenBLAS's own threads cost more than they give (and on a busy
                    // machine they spin); one single-threaded product per core on a share of W's rows.
                    let chunks = rows * out * inner >= 1 << 20 ? min(Parallel.workerCount, out / 64) : 1
                    guard chunks > 1 else {
                        BLAS.gemm(transposeB: true, m: rows, n: out, k: inner, a: a, b: b, beta: beta, c: c)
                        return
                    }
                    let pointers = SendablePointers(a: a, b: b, c: c)
                    Parallel.forEach(chunks) { chunk in
                        let lo = out * chunk / chunks, hi = out * (chunk + 1) / chunks
                        BLAS.gemm(transposeB: true, m: rows, n: hi - lo, k: inner, a: pointers.a, lda: inner,
                                  b: pointers.b + lo * inner, ldb: inner, beta: beta, c: pointers.c + lo, ldc: out)
                    }
                }
            }
        }
        return y
    }

    /// LayerNorm over each row of width `width` (biased variance, as PyTorch).
    static func layerNorm(_ x: inout [Float], width: Int, weight: [Float], bias: [Float], epsilon: Float) {
        let rows = x.count / width
        for r in 0..<rows {
            let base = r * width
            var mean: Float = 0
            for i in 0..<width { mean += x[base + i] }
            mean /= Float(width)
            var variance: Float = 0
            for i in 0..<width { let d = x[base + i] - mean; variance += d * d }
            variance /= Float(width)
            let scale = 1 / (variance + epsilon).squareRoot()
            for i in 0..<width { x[base + i] = (x[base + i] - mean) * scale * weight[i] + bias[i] }
        }
    }

    /// T5's RMS norm: each row divided by its root mean square, times `weight`; no mean, no bias.
    static func rmsNorm(_ x: [Float], width: Int, weight: [Float], epsilon: Float) -> [Float] {
        var out = x
        let rows = x.count / width
        for r in 0..<rows {
            let base = r * width
            var meanSquare: Float = 0
            for i in 0..<width { meanSquare += x[base + i] * x[base + i] }
            meanSquare /= Float(width)
            let scale = 1 / (meanSquare + epsilon).squareRoot()
            for i in 0..<width { out[base + i] = x[base + i] * scale * weight[i] }
        }
        return out
    }

    static func add(_ x: inout [Float], _ y: [Float]) {
        for i in x.indices { x[i] += y[i] }
    }

    /// Self-attention of `n` tokens: `q`, `k`, `v` are `[n, heads · headWidth]`; scores are scaled
    /// by `scale` and, when given, offset by `bias[head, query, key]`. Returns `[n, heads · headWidth]`.
    static func attention(q: [Float], k: [Float], v: [Float], n: Int, heads: Int, headWidth: Int,
                          scale: Float, bias: [Float]?) -> [Float] {
        let width = heads * headWidth
        var out = [Float](repeating: 0, count: n * width)
        var scores = [Float](repeating: 0, count: n * n)
        q.withUnsafeBufferPointer { qp in
            k.withUnsafeBufferPointer { kp in
                v.withUnsafeBufferPointer { vp in
                    for h in 0..<heads {
                        scores.withUnsafeMutableBufferPointer { sp in
                            BLAS.gemm(transposeB: true, m: n, n: n, k: headWidth, alpha: scale,
                                      a: qp.baseAddress! + h * headWidth, lda: width,
                                      b: kp.baseAddress! + h * headWidth, ldb: width, c: sp.baseAddress!)
                        }
                        if let bias { for i in 0..<(n * n) { scores[i] += bias[h * n * n + i] } }
                        softmaxRows(&scores, width: n)
                        scores.withUnsafeBufferPointer { sp in
                            out.withUnsafeMutableBufferPointer { op in
                                BLAS.gemm(m: n, n: headWidth, k: n, a: sp.baseAddress!, b: vp.baseAddress! + h * headWidth, ldb: width,
                                          c: op.baseAddress! + h * headWidth, ldc: width)
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    static func softmaxRows(_ x: inout [Float], width: Int) {
        let rows = x.count / width
        for r in 0..<rows {
            let base = r * width
            var largest = -Float.infinity
            for i in 0..<width { largest = max(largest, x[base + i]) }
            var sum: Float = 0
            for i in 0..<width { let e = Foundation.exp(x[base + i] - largest); x[base + i] = e; sum += e }
            for i in 0..<width { x[base + i] /= sum }
        }
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

    func apply(_ x: inout [Float]) {
        switch self {
        case .gelu: for i in x.indices { x[i] = 0.5 * x[i] * (1 + Foundation.erf(x[i] / Float(2).squareRoot())) }
        case .geluTanh:
            let c = Float((2 / Double.pi).squareRoot())
            for i in x.indices { let v = x[i]; x[i] = 0.5 * v * (1 + Foundation.tanh(c * (v + 0.044715 * v * v * v))) }
        case .relu: for i in x.indices { x[i] = max(0, x[i]) }
        case .silu: for i in x.indices { x[i] = x[i] / (1 + Foundation.exp(-x[i])) }
        }
    }
}

/// The operands of a product split over threads: each thread writes its own columns of `c`.
private struct SendablePointers: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
}
