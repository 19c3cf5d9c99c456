import ArgumentParser
import Foundation
import Tensors

/// `hybridsign bench block`: one forward + backward of a pre-norm transformer block (D = 512,
/// 4 heads, MLP 4·D, 40 sequences of 137 tokens, causal), as useful matrix FLOPs per second,
/// beside the sgemm rate measured in the same run.
struct BenchBlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block", abstract: "Transformer block forward+backward GFLOP/s and its ratio to sgemm.")

    @Flag(help: "Print one JSON object: {\"gflops\": ..., \"gemm_gflops\": ..., \"ratio\": ...}.")
    var json = false

    @Option(help: "Timed forward+backward passes (the best counts).")
    var iterations: Int = 6

    @Flag(help: "Also print time per op (one extra profiled pass).")
    var profile = false

    @Option(help: "Model width.") var dim: Int = 512
    @Option(help: "Attention heads.") var heads: Int = 4
    @Option(help: "Sequences per batch.") var batch: Int = 40
    @Option(help: "Tokens per sequence.") var tokens: Int = 137

    func validate() throws {
        guard dim > 0, heads > 0, dim % heads == 0 else { throw ValidationError("--dim must be a positive multiple of --heads") }
        guard batch > 0, tokens > 0, iterations > 0 else { throw ValidationError("--batch, --tokens and --iterations must be positive") }
    }

    func run() throws {
        var rng = RandomGenerator(seed: 7)
        let block = TransformerBlock(dim: dim, heads: heads, rng: &rng)
        let input = rng.normal([batch, tokens, dim])
        let cotangent = rng.normal([batch, tokens, dim], std: 1e-3)
        let mask = AttentionMask.causal(queries: tokens, keys: tokens)
        let flops = 3 * TransformerBlock.forwardFLOPs(batch: batch, tokens: tokens, dim: dim)

        func step(profiled: Bool = false) throws {
            let g = Graph()
            g.isProfiling = profiled
            let y = block(g.input(input), mask: mask)
            try g.backward(y, seed: cotangent)
            block.zeroGrad()
            if profiled { print(g.profileReport()) }
        }
        try step()  // warm-up
        let clock = ContinuousClock()
        // Block passes and sgemm measurements alternate, best of each, so that both see the same
        // (possibly shared and fluctuating) machine.
        var best = Double.infinity
        var gemm = 0.0
        for _ in 0..<iterations {
            best = min(best, try clock.measure { try step() }.seconds)
            gemm = max(gemm, GemmBenchmark.measure(m: 1096, n: 512, k: 512, seconds: 0.3))
        }
        if profile { try step(profiled: true) }
        let gflops = flops / best / 1e9
        let ratio = gflops / gemm
        if json {
            print("{\"gflops\": \(String(format: "%.2f", gflops)), \"gemm_gflops\": \(String(format: "%.2f", gemm)), \"ratio\": \(String(format: "%.3f", ratio))}")
        } else {
            print(String(format: "block fwd+bwd (B=%d, T=%d, D=%d, H=%d): %.1f ms, %.1f GFLOP/s; sgemm %.1f GFLOP/s; ratio %.3f",
                         batch, tokens, dim, heads, best * 1000, gflops, gemm, ratio))
        }
    }
}
