import ArgumentParser
import Foundation
import Tensors

/// `hybridsign bench frame`: inference latency of one streaming-sized pass — a pre-norm transformer
/// block over one frame of tokens (default 137 × D = 512, 4 heads), recorded nothing, plus temporal
/// attention of every token over a KV cache of past frames. Shows the engine's per-op overhead at
/// the sampler's shapes.
struct BenchFrameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frame", abstract: "Latency of one streaming-sized block pass (inference).")

    @Flag(help: "Print one JSON object: {\"ms_per_pass\": ..., \"passes_per_second\": ..., \"kernels\": ...}.")
    var json = false
    @Flag(help: "Also print time per op (one extra profiled pass).")
    var profile = false

    @Option(help: "Model width.") var dim: Int = 512
    @Option(help: "Attention heads.") var heads: Int = 4
    @Option(help: "Tokens per frame.") var tokens: Int = 137
    @Option(help: "Cached past frames for the temporal attention.") var history: Int = 64
    @Option(help: "Timed passes.") var passes: Int = 50

    func validate() throws {
        guard dim > 0, heads > 0, dim % heads == 0 else { throw ValidationError("--dim must be a positive multiple of --heads") }
        guard tokens > 0, passes > 0, history >= 0 else { throw ValidationError("--tokens and --passes must be positive, --history ≥ 0") }
    }

    func run() throws {
        var rng = RandomGenerator(seed: 3)
        let block = TransformerBlock(dim: dim, heads: heads, rng: &rng)
        let temporalQKV = Linear(dim, 3 * dim, rng: &rng)
        let dh = dim / heads
        // Temporal attention: each token is its own sequence (batch = tokens) over past frames.
        var cache = KVCache(batch: tokens, heads: heads, headDim: dh)
        cache.append(keys: rng.normal([tokens, heads, history, dh]), values: rng.normal([tokens, heads, history, dh]))
        let frame = rng.normal([1, tokens, dim])

        func pass(profiled: Bool = false) -> Tensor {
            let g = Graph(recording: false)
            g.isProfiling = profiled
            defer { if profiled { print(g.profileReport()) } }
            let x = block(g.input(frame))
            let qkv = permute(reshape(temporalQKV(x), [tokens, 1, 3, heads, dh]), [2, 0, 3, 1, 4])
            let parts = split(qkv, axis: 0, sizes: [1, 1, 1]).map { reshape($0, [tokens, heads, 1, dh]) }
            let y = cache.attention(q: parts[0], scale: 1 / Float(dh).squareRoot(), extraKeys: parts[1], extraValues: parts[2])
            return y.value
        }
        _ = pass()
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<passes { times.append(clock.measure { _ = pass() }.seconds) }
        times.sort()
        if profile { _ = pass(profiled: true) }
        let median = times[times.count / 2]
        if json {
            print("{\"ms_per_pass\": \(String(format: "%.3f", median * 1000)), \"passes_per_second\": \(String(format: "%.1f", 1 / median)), \"kernels\": \"\(KernelPath.current)\"}")
        } else {
            print(String(format: "one block + cached temporal attention (%d tokens, D=%d, %d heads, %d cached frames): median %.2f ms (best %.2f ms), %.1f passes/s (%@ kernels)",
                         tokens, dim, heads, history, median * 1000, times[0] * 1000, 1 / median, KernelPath.current.rawValue))
        }
    }
}
