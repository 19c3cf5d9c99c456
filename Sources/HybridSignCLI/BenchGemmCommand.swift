import ArgumentParser
import Foundation
import Tensors

/// `hybridsign bench gemm`: the sgemm rate at 1096×512×512 (M×N×K) with OpenBLAS's threads.
struct BenchGemmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gemm", abstract: "sgemm GFLOP/s at 1096×512×512.")

    @Flag(help: "Print one JSON object: {\"gflops\": ..., \"threads\": ...}.")
    var json = false

    @Option(help: "Seconds to measure for.")
    var seconds: Double = 1.5

    func run() throws {
        let gflops = GemmBenchmark.measure(m: 1096, n: 512, k: 512, seconds: seconds)
        if json {
            print("{\"gflops\": \(String(format: "%.2f", gflops)), \"threads\": \(BLAS.threadCount)}")
        } else {
            print(String(format: "sgemm 1096×512×512: %.1f GFLOP/s on %d thread(s)", gflops, BLAS.threadCount))
        }
    }
}

/// Times repeated sgemm calls on fixed random operands.
enum GemmBenchmark {
    /// Best-of-rounds GFLOP/s of `C[m,n] = A[m,k]·B[k,n]`, measured for about `seconds`.
    static func measure(m: Int, n: Int, k: Int, seconds: Double) -> Double {
        var rng = RandomGenerator(seed: 1)
        let a = rng.normal([m, k]), b = rng.normal([k, n])
        var c = Tensor(zeros: [m, n])
        let flops = 2.0 * Double(m * n * k)
        func once() {
            a.withUnsafeBufferPointer { ab in
                b.withUnsafeBufferPointer { bb in
                    c.withUnsafeMutableBufferPointer { cb in
                        BLAS.gemm(m: m, n: n, k: k, a: ab.baseAddress!, b: bb.baseAddress!, c: cb.baseAddress!)
                    }
                }
            }
        }
        for _ in 0..<3 { once() }  // warm up threads and caches
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        var best = 0.0
        while clock.now < deadline {
            let reps = 10
            let elapsed = clock.measure { for _ in 0..<reps { once() } }
            best = max(best, flops * Double(reps) / elapsed.seconds / 1e9)
        }
        return best
    }
}

extension Duration {
    /// This duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
