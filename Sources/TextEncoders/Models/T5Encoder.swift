import Foundation

/// The T5 family's encoder (t5-small/base/large, v1.1, mT5, flan-t5): a shared token embedding,
/// pre-norm blocks with RMS norms (no bias), unscaled self-attention offset by learned relative
/// position buckets (from the first block, shared by all), and a ReLU (v1.0) or gated-GELU (v1.1)
/// feed-forward, then a final RMS norm.
///
/// The weights are laid out at load for the products (Docs/text-encoders.md, "Speed"): the query,
/// key and value projections stacked into one `[3 · inner, d]` matrix, and a gated feed-forward's
/// two halves into one `[2 · d_ff, d]`, so each runs as one product split over the cores.
struct T5Encoder: Sendable {
    struct Block: Sendable {
        let attentionNorm: EncoderMatrix
        /// `q`, `k`, `v` stacked: `[3 · heads · headWidth, width]`.
        let queryKeyValue: EncoderMatrix
        let output: EncoderMatrix
        let feedForwardNorm: EncoderMatrix
        /// `wi` (ungated), or `wi_0` then `wi_1` (gated: the activated half, then the linear gate).
        let inner: EncoderMatrix
        let down: EncoderMatrix
    }

    let width: Int
    let heads: Int
    let headWidth: Int
    let feedForwardWidth: Int
    let vocabularySize: Int
    let bucketCount: Int
    let maxDistance: Int
    let epsilon: Float
    let activation: Activation
    let gated: Bool
    let embedding: EncoderMatrix
    /// `[bucketCount, heads]`.
    let relativeBias: [Float]
    let blocks: [Block]
    let finalNorm: EncoderMatrix

    init(config: JSONFields, weightsURL: URL) throws(TextEncoderError) {
        width = try config.int("d_model", in: 1...EncoderLimits.maxWidth)
        heads = try config.int("num_heads", in: 1...EncoderLimits.maxHeads)
        headWidth = try config.int("d_kv", in: 1...EncoderLimits.maxHeadWidth)
        feedForwardWidth = try config.int("d_ff", in: 1...EncoderLimits.maxFeedForward)
        let layers = try config.int("num_layers", in: 1...EncoderLimits.maxLayers)
        vocabularySize = try config.int("vocab_size", in: 1...Tokenizer.maxVocabulary)
        bucketCount = try config.int("relative_attention_num_buckets", in: 2...1024, default: 32)
        maxDistance = try config.int("relative_attention_max_distance", in: 1...EncoderLimits.maxTokens, default: 128)
        epsilon = Float(try config.double("layer_norm_epsilon", default: 1e-6))
        let projection = try config.optionalString("feed_forward_proj") ?? "relu"
        gated = projection.hasPrefix("gated-")
        let name = gated ? String(projection.dropFirst("gated-".count)) : projection
        // Hugging Face runs "gated-gelu" with the tanh approximation (T5 v1.1's gelu_new).
        guard let activation = name == "gelu" && gated ? .geluTanh : Activation(huggingFaceName: name) else {
            throw config.error("feed_forward_proj", "is '\(projection)', a feed-forward this tool does not support (supported: relu, gelu, gated-gelu, gated-silu)")
        }
        self.activation = activation
        var weights = try EncoderWeights(contentsOf: weightsURL, prefixes: [], keeping: { $0.hasPrefix("encoder.") || $0 == "shared.weight" })
        let (d, f, inner) = (width, feedForwardWidth, heads * headWidth)
        embedding = EncoderMatrix(try weights.take(anyOf: ["shared.weight", "encoder.embed_tokens.weight"], shape: [vocabularySize, d]), columns: d)
        relativeBias = try weights.take("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", shape: [bucketCount, heads])
        var blocks: [Block] = []
        for i in 0..<layers {
            let a = "encoder.block.\(i).layer.0.", m = "encoder.block.\(i).layer.1."
            let innerNames = gated ? ["DenseReluDense.wi_0.weight", "DenseReluDense.wi_1.weight"] : ["DenseReluDense.wi.weight"]
            blocks.append(Block(
                attentionNorm: EncoderMatrix(try weights.take(a + "layer_norm.weight", shape: [d]), columns: d),
                queryKeyValue: EncoderMatrix(stacking: try ["q", "k", "v"].map { (p: String) throws(TextEncoderError) in
                    try weights.take(a + "SelfAttention.\(p).weight", shape: [inner, d])
                }, columns: d),
                output: EncoderMatrix(try weights.take(a + "SelfAttention.o.weight", shape: [d, inner]), columns: inner),
                feedForwardNorm: EncoderMatrix(try weights.take(m + "layer_norm.weight", shape: [d]), columns: d),
                inner: EncoderMatrix(stacking: try innerNames.map { (n: String) throws(TextEncoderError) in
                    try weights.take(m + n, shape: [f, d])
                }, columns: d),
                down: EncoderMatrix(try weights.take(m + "DenseReluDense.wo.weight", shape: [d, f]), columns: f)))
        }
        self.blocks = blocks
        finalNorm = EncoderMatrix(try weights.take("encoder.final_layer_norm.weight", shape: [d]), columns: d)
    }

    /// The bucket of a key `distance` tokens after the query (negative: before), bidirectional, as
    /// Hugging Face's `_relative_position_bucket` computes it in float32.
    static func bucket(distance: Int, bucketCount: Int, maxDistance: Int) -> Int {
        let half = bucketCount / 2
        var bucket = distance > 0 ? half : 0
        let magnitude = abs(distance)
        let exact = half / 2
        if magnitude < exact { return bucket + magnitude }
        let ratio = Float(magnitude) / Float(exact)
        let scaled = Foundation.log(ratio) / Float(Foundation.log(Double(maxDistance) / Double(exact))) * Float(half - exact)
        bucket += min(exact + Int(scaled), half - 1)
        return bucket
    }

    /// The last hidden states `[ids.count, width]`; ids must be below `vocabularySize`. Adds where
    /// the time went to `profile`.
    func encode(_ ids: [Int], profile: inout EncoderProfile) -> [Float] {
        let n = ids.count, d = width, inner = heads * headWidth, f = feedForwardWidth
        guard n > 0 else { return [] }
        let innerRows = gated ? 2 * f : f
        var arena = EncoderArena(capacity: 2 * n * d + 3 * n * inner + n * inner + n * innerRows + 2 * heads * n * n)
        defer { arena.release() }
        let x = arena.take(n * d), normed = arena.take(n * d), qkv = arena.take(3 * n * inner)
        let attended = arena.take(n * inner), hidden = arena.take(n * innerRows)
        let scores = arena.take(heads * n * n), bias = arena.take(heads * n * n)
        profile.time(\.embedding) {
            for (t, id) in ids.enumerated() { (x + t * d).update(from: embedding.base + id * d, count: d) }
        }
        profile.time(\.other) {
            for qi in 0..<n {
                for ki in 0..<n {
                    let b = Self.bucket(distance: ki - qi, bucketCount: bucketCount, maxDistance: maxDistance)
                    for h in 0..<heads { bias[(h * n + qi) * n + ki] = relativeBias[b * heads + h] }
                }
            }
        }
        for block in blocks {
            profile.time(\.norms) {
                EncoderMath.rmsNorm(x, rows: n, width: d, weight: block.attentionNorm.base, epsilon: epsilon, into: normed)
            }
            profile.time(\.projections) {
                EncoderMath.linear(normed, rows: n, inner: d, block.queryKeyValue.base, out: 3 * inner, into: qkv)
            }
            profile.time(\.attention) {
                EncoderMath.attention(qkv: qkv, n: n, heads: heads, headWidth: headWidth, scale: 1, bias: bias,
                                      scores: scores, into: attended)
            }
            profile.time(\.output) {
                EncoderMath.linear(attended, rows: n, inner: inner, block.output.base, out: d, into: x, accumulate: true)
            }
            profile.time(\.norms) {
                EncoderMath.rmsNorm(x, rows: n, width: d, weight: block.feedForwardNorm.base, epsilon: epsilon, into: normed)
            }
            profile.time(\.feedForwardIn) {
                EncoderMath.linear(normed, rows: n, inner: d, block.inner.base, out: innerRows, into: hidden)
            }
            profile.time(\.activation) { activate(hidden, rows: n) }
            profile.time(\.feedForwardOut) {
                EncoderMath.linear(hidden, rows: n, inner: f, block.down.base, out: d, into: x, accumulate: true, xStride: innerRows)
            }
        }
        profile.time(\.norms) {
            EncoderMath.rmsNorm(x, rows: n, width: d, weight: finalNorm.base, epsilon: epsilon, into: x)
        }
        return profile.time(\.other) { Array(UnsafeBufferPointer(start: x, count: n * d)) }
    }

    /// The feed-forward's activation over `hidden` (`[rows, d_ff]`, or `[rows, 2 · d_ff]` when
    /// gated); gated, it leaves `act(wi_0 x) · (wi_1 x)` in the first `d_ff` of each row, the
    /// `[rows, d_ff]` the down projection reads with a row stride of `2 · d_ff`.
    private func activate(_ hidden: UnsafeMutablePointer<Float>, rows: Int) {
        let f = feedForwardWidth
        guard gated else {
            activation.apply(hidden, count: rows * f)
            return
        }
        for r in 0..<rows {
            let row = hidden + r * 2 * f
            activation.apply(row, count: f)
            for i in 0..<f { row[i] *= row[f + i] }
        }
    }
}
