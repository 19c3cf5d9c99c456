import Foundation
import Tensors

/// The products of a T5 encoder alone, at its shapes, with each way of running them
/// (`hybridsign bench text-encode --products`): the floor the whole encoding is measured against,
/// and the measurement behind the split ``EncoderMath/linear`` uses.
///
/// One pass is every layer's four products (query-key-value, output, feed-forward in and out) for
/// `rows` tokens, each layer with weights of its own, so that they stream from memory as an
/// encoding's do (t5-base: 340 MB, far more than the caches). Strategies alternate pass by pass,
/// so that a change in the machine's load hits them alike.
public enum EncoderProductBenchmark {
    /// A way of running one product.
    public enum Strategy: String, CaseIterable, Sendable {
        /// What the encoders run: OpenBLAS single-threaded on each of several column pieces per
        /// core, taken dynamically.
        case encoderSplit = "encoder_split"
        /// The same on one contiguous piece per core.
        case evenSplit = "even_split"
        /// `BLAS.gemm` (the hand-written X·Wᵀ kernel where the CPU has it) on the encoder's pieces.
        case kernelSplit = "kernel_split"
        /// One OpenBLAS call per product with OpenBLAS's own threads.
        case openBLASThreads = "openblas_threads"
    }

    /// The median of one strategy's passes.
    public struct Result: Sendable {
        public let strategy: Strategy
        /// Median wall time of a pass, in milliseconds.
        public let milliseconds: Double
        /// Median processor time of a pass (all threads), in milliseconds.
        public let processorMilliseconds: Double
        /// Multiply-adds × 2 per second at the median wall time, in billions.
        public let gigaflops: Double
    }

    /// Medians over `passes` passes of each strategy (weights random from `seed`).
    public static func measure(shape: RandomT5Folder.Shape, rows: Int, passes: Int, seed: UInt64) -> [Result] {
        let (d, f, inner) = (shape.width, shape.feedForward, shape.heads * shape.headWidth)
        // [out, in] of each product of a layer.
        let shapes = [(3 * inner, d), (d, inner), (f, d), (d, f)]
        var rng = RandomGenerator(seed: seed)
        let layers = (0..<shape.layers).map { _ in
            shapes.map { out, inputs in EncoderMatrix((0..<(out * inputs)).map { _ in rng.uniform() - 0.5 }, columns: inputs) }
        }
        let widest = max(3 * inner, f, d)
        let x = UnsafeMutablePointer<Float>.allocate(capacity: rows * widest)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: rows * widest)
        defer { x.deallocate(); y.deallocate() }
        for i in 0..<(rows * widest) { x[i] = rng.uniform() - 0.5 }
        y.initialize(repeating: 0, count: rows * widest)
        let flops = 2.0 * Double(rows) * Double(shapes.reduce(0) { $0 + $1.0 * $1.1 }) * Double(shape.layers)

        func pass(_ strategy: Strategy) {
            for layer in layers {
                for w in layer {
                    switch strategy {
                    case .encoderSplit:
                        EncoderMath.linear(x, rows: rows, inner: w.columns, w.base, out: w.rows, into: y)
                    case .evenSplit:
                        EncoderMath.linear(x, rows: rows, inner: w.columns, w.base, out: w.rows, into: y, piecesPerCore: 1)
                    case .kernelSplit:
                        EncoderMath.linear(x, rows: rows, inner: w.columns, w.base, out: w.rows, into: y, routine: .dispatched)
                    case .openBLASThreads:
                        BLAS.openBLASGemm(transposeB: true, m: rows, n: w.rows, k: w.columns, a: x, b: w.base, c: y)
                    }
                }
            }
        }
        var wall: [Strategy: [Double]] = [:], processor: [Strategy: [Double]] = [:]
        for strategy in Strategy.allCases { pass(strategy) }  // warm-up: threads, pages
        for _ in 0..<passes {
            for strategy in Strategy.allCases {
                let (start, cpuStart) = (EncoderProfile.now(), processorSeconds())
                pass(strategy)
                wall[strategy, default: []].append((EncoderProfile.now() - start) * 1000)
                processor[strategy, default: []].append((processorSeconds() - cpuStart) * 1000)
            }
        }
        return Strategy.allCases.map { strategy in
            let ms = median(wall[strategy] ?? [])
            return Result(strategy: strategy, milliseconds: ms, processorMilliseconds: median(processor[strategy] ?? []),
                          gigaflops: flops / (ms / 1000) / 1e9)
        }
    }

    /// Processor time of the process so far (all threads), in seconds.
    public static func processorSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// The median of `values` (0 when empty).
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[values.count / 2]
    }
}
