import Foundation

/// The T5 family's encoder (t5-small/base/large, v1.1, mT5, flan-t5): a shared token embedding,
/// pre-norm blocks with RMS norms (no bias), unscaled self-attention offset by learned relative
/// position buckets (from the first block, shared by all), and a ReLU (v1.0) or gated-GELU (v1.1)
/// feed-forward, then a final RMS norm.
struct T5Encoder: Sendable {
    struct Block: Sendable {
        let attentionNorm, query, key, value, output: [Float]
        let feedForwardNorm: [Float]
        /// `wi` (ungated) or `wi_0` (gated).
        let inner: [Float]
        /// `wi_1`, the gate's linear half, when gated.
        let gate: [Float]?
        let down: [Float]
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
    let embedding: [Float]
    /// `[bucketCount, heads]`.
    let relativeBias: [Float]
    let blocks: [Block]
    let finalNorm: [Float]

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
        let gated = projection.hasPrefix("gated-")
        let name = gated ? String(projection.dropFirst("gated-".count)) : projection
        // Hugging Face runs "gated-gelu" with the tanh approximation (T5 v1.1's gelu_new).
        guard let activation = name == "gelu" && gated ? .geluTanh : Activation(huggingFaceName: name) else {
            throw config.error("feed_forward_proj", "is '\(projection)', a feed-forward this tool does not support (supported: relu, gelu, gated-gelu, gated-silu)")
        }
        self.activation = activation
        let weights = try EncoderWeights(contentsOf: weightsURL, prefixes: [], keeping: { $0.hasPrefix("encoder.") || $0 == "shared.weight" })
        let (d, f, inner) = (width, feedForwardWidth, heads * headWidth)
        embedding = try weights.tensor(anyOf: ["shared.weight", "encoder.embed_tokens.weight"], shape: [vocabularySize, d])
        relativeBias = try weights.tensor("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", shape: [bucketCount, heads])
        var blocks: [Block] = []
        for i in 0..<layers {
            let a = "encoder.block.\(i).layer.0.", m = "encoder.block.\(i).layer.1."
            blocks.append(Block(
                attentionNorm: try weights.tensor(a + "layer_norm.weight", shape: [d]),
                query: try weights.tensor(a + "SelfAttention.q.weight", shape: [inner, d]),
                key: try weights.tensor(a + "SelfAttention.k.weight", shape: [inner, d]),
                value: try weights.tensor(a + "SelfAttention.v.weight", shape: [inner, d]),
                output: try weights.tensor(a + "SelfAttention.o.weight", shape: [d, inner]),
                feedForwardNorm: try weights.tensor(m + "layer_norm.weight", shape: [d]),
                inner: try weights.tensor(m + (gated ? "DenseReluDense.wi_0.weight" : "DenseReluDense.wi.weight"), shape: [f, d]),
                gate: gated ? try weights.tensor(m + "DenseReluDense.wi_1.weight", shape: [f, d]) : nil,
                down: try weights.tensor(m + "DenseReluDense.wo.weight", shape: [d, f])))
        }
        self.blocks = blocks
        finalNorm = try weights.tensor("encoder.final_layer_norm.weight", shape: [d])
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

    /// The last hidden states `[ids.count, width]`; ids must be below `vocabularySize`.
    func encode(_ ids: [Int]) -> [Float] {
        let n = ids.count, d = width, inner = heads * headWidth
        guard n > 0 else { return [] }
        var x = [Float](repeating: 0, count: n * d)
        for (t, id) in ids.enumerated() { for i in 0..<d { x[t * d + i] = embedding[id * d + i] } }
        var bias = [Float](repeating: 0, count: heads * n * n)
        for qi in 0..<n {
            for ki in 0..<n {
                let b = Self.bucket(distance: ki - qi, bucketCount: bucketCount, maxDistance: maxDistance)
                for h in 0..<heads { bias[(h * n + qi) * n + ki] = relativeBias[b * heads + h] }
            }
        }
        for block in blocks {
            let normed = EncoderMath.rmsNorm(x, width: d, weight: block.attentionNorm, epsilon: epsilon)
            let q = EncoderMath.linear(normed, rows: n, block.query, out: inner)
            let k = EncoderMath.linear(normed, rows: n, block.key, out: inner)
            let v = EncoderMath.linear(normed, rows: n, block.value, out: inner)
            let attended = EncoderMath.attention(q: q, k: k, v: v, n: n, heads: heads, headWidth: headWidth, scale: 1, bias: bias)
            EncoderMath.add(&x, EncoderMath.linear(attended, rows: n, block.output, out: d))
            let normed2 = EncoderMath.rmsNorm(x, width: d, weight: block.feedForwardNorm, epsilon: epsilon)
            var hidden = EncoderMath.linear(normed2, rows: n, block.inner, out: feedForwardWidth)
            activation.apply(&hidden)
            if let gate = block.gate {
                let linear = EncoderMath.linear(normed2, rows: n, gate, out: feedForwardWidth)
                for i in hidden.indices { hidden[i] *= linear[i] }
            }
            EncoderMath.add(&x, EncoderMath.linear(hidden, rows: n, block.down, out: d))
        }
        return EncoderMath.rmsNorm(x, width: d, weight: finalNorm, epsilon: epsilon)
    }
}
