import Foundation

/// The BERT family's encoder (BERT, MiniLM, multilingual MiniLM): word, absolute position and
/// token-type embeddings, post-LayerNorm blocks of scaled self-attention and a GELU feed-forward.
struct BertEncoder: Sendable {
    struct Block: Sendable {
        /// `query`, `key`, `value` stacked: `[3 · width, width]`, and their biases `[3 · width]`.
        let queryKeyValue, queryKeyValueBias: EncoderMatrix
        let output, outputBias, attentionNormWeight, attentionNormBias: EncoderMatrix
        let intermediate, intermediateBias, down, downBias, normWeight, normBias: EncoderMatrix
    }

    let width: Int
    let heads: Int
    let feedForwardWidth: Int
    let vocabularySize: Int
    let maxPositions: Int
    let epsilon: Float
    let activation: Activation
    let wordEmbeddings, positionEmbeddings, tokenTypeEmbedding: EncoderMatrix
    let embeddingNormWeight, embeddingNormBias: EncoderMatrix
    let blocks: [Block]

    init(config: JSONFields, weightsURL: URL) throws(TextEncoderError) {
        width = try config.int("hidden_size", in: 1...EncoderLimits.maxWidth)
        heads = try config.int("num_attention_heads", in: 1...EncoderLimits.maxHeads)
        guard width % heads == 0 else { throw config.error("num_attention_heads", "is \(heads), which does not divide hidden_size \(width)") }
        let layers = try config.int("num_hidden_layers", in: 1...EncoderLimits.maxLayers)
        feedForwardWidth = try config.int("intermediate_size", in: 1...EncoderLimits.maxFeedForward)
        vocabularySize = try config.int("vocab_size", in: 1...Tokenizer.maxVocabulary)
        maxPositions = try config.int("max_position_embeddings", in: 1...EncoderLimits.maxTokens)
        let typeCount = try config.int("type_vocab_size", in: 1...1024, default: 2)
        epsilon = Float(try config.double("layer_norm_eps", default: 1e-12))
        let act = try config.optionalString("hidden_act") ?? "gelu"
        guard let activation = Activation(huggingFaceName: act) else {
            throw config.error("hidden_act", "is '\(act)', an activation this tool does not support (supported: gelu, gelu_new, relu, silu)")
        }
        self.activation = activation
        if let positions = try config.optionalString("position_embedding_type"), positions != "absolute" {
            throw config.error("position_embedding_type", "is '\(positions)'; this tool runs BERT encoders with absolute positions only")
        }
        var weights = try EncoderWeights(contentsOf: weightsURL, prefixes: ["bert."], keeping: { $0.hasPrefix("embeddings.") || $0.hasPrefix("encoder.") })
        let (d, f) = (width, feedForwardWidth)
        func matrix(_ name: String, _ shape: [Int]) throws(TextEncoderError) -> EncoderMatrix {
            EncoderMatrix(try weights.take(name, shape: shape), columns: shape.last!)
        }
        wordEmbeddings = try matrix("embeddings.word_embeddings.weight", [vocabularySize, d])
        positionEmbeddings = try matrix("embeddings.position_embeddings.weight", [maxPositions, d])
        // Every token has type 0: one text, no second segment.
        tokenTypeEmbedding = EncoderMatrix(Array(try weights.take("embeddings.token_type_embeddings.weight", shape: [typeCount, d]).prefix(d)), columns: d)
        embeddingNormWeight = try matrix("embeddings.LayerNorm.weight", [d])
        embeddingNormBias = try matrix("embeddings.LayerNorm.bias", [d])
        var blocks: [Block] = []
        for i in 0..<layers {
            let p = "encoder.layer.\(i)."
            let parts = ["query", "key", "value"]
            blocks.append(Block(
                queryKeyValue: EncoderMatrix(stacking: try parts.map { (part: String) throws(TextEncoderError) in
                    try weights.take(p + "attention.self.\(part).weight", shape: [d, d])
                }, columns: d),
                queryKeyValueBias: EncoderMatrix(stacking: try parts.map { (part: String) throws(TextEncoderError) in
                    try weights.take(p + "attention.self.\(part).bias", shape: [d])
                }, columns: d),
                output: try matrix(p + "attention.output.dense.weight", [d, d]),
                outputBias: try matrix(p + "attention.output.dense.bias", [d]),
                attentionNormWeight: try matrix(p + "attention.output.LayerNorm.weight", [d]),
                attentionNormBias: try matrix(p + "attention.output.LayerNorm.bias", [d]),
                intermediate: try matrix(p + "intermediate.dense.weight", [f, d]),
                intermediateBias: try matrix(p + "intermediate.dense.bias", [f]),
                down: try matrix(p + "output.dense.weight", [d, f]),
                downBias: try matrix(p + "output.dense.bias", [d]),
                normWeight: try matrix(p + "output.LayerNorm.weight", [d]),
                normBias: try matrix(p + "output.LayerNorm.bias", [d])))
        }
        self.blocks = blocks
    }

    /// The last hidden states `[ids.count, width]`; ids must be below `vocabularySize` and at
    /// most `maxPositions` of them (the caller's tokenizer limit); adds where the time went to `profile`.
    func encode(_ ids: [Int], profile: inout EncoderProfile) -> [Float] {
        let n = ids.count, d = width, f = feedForwardWidth
        guard n > 0 else { return [] }
        var arena = EncoderArena(capacity: 3 * n * d + 3 * n * d + n * f + heads * n * n)
        defer { arena.release() }
        let x = arena.take(n * d), h = arena.take(n * d), attended = arena.take(n * d)
        let qkv = arena.take(3 * n * d), inner = arena.take(n * f), scores = arena.take(heads * n * n)
        profile.time(\.embedding) {
            let (words, positions, type) = (wordEmbeddings.base, positionEmbeddings.base, tokenTypeEmbedding.base)
            for (t, id) in ids.enumerated() {
                let row = x + t * d
                for i in 0..<d { row[i] = words[id * d + i] + positions[t * d + i] + type[i] }
            }
            EncoderMath.layerNorm(x, rows: n, width: d, weight: embeddingNormWeight.base, bias: embeddingNormBias.base, epsilon: epsilon)
        }
        let headWidth = d / heads
        for block in blocks {
            profile.time(\.projections) {
                EncoderMath.linear(x, rows: n, inner: d, block.queryKeyValue.base, out: 3 * d, bias: block.queryKeyValueBias.base, into: qkv)
            }
            profile.time(\.attention) {
                EncoderMath.attention(qkv: qkv, n: n, heads: heads, headWidth: headWidth, scale: 1 / Float(headWidth).squareRoot(),
                                      bias: nil, scores: scores, into: attended)
            }
            profile.time(\.output) {
                EncoderMath.linear(attended, rows: n, inner: d, block.output.base, out: d, bias: block.outputBias.base, into: h)
                EncoderMath.add(h, x, count: n * d)
            }
            profile.time(\.norms) {
                EncoderMath.layerNorm(h, rows: n, width: d, weight: block.attentionNormWeight.base, bias: block.attentionNormBias.base, epsilon: epsilon)
            }
            profile.time(\.feedForwardIn) {
                EncoderMath.linear(h, rows: n, inner: d, block.intermediate.base, out: f, bias: block.intermediateBias.base, into: inner)
            }
            profile.time(\.activation) { activation.apply(inner, count: n * f) }
            profile.time(\.feedForwardOut) {
                EncoderMath.linear(inner, rows: n, inner: f, block.down.base, out: d, bias: block.downBias.base, into: x)
                EncoderMath.add(x, h, count: n * d)
            }
            profile.time(\.norms) {
                EncoderMath.layerNorm(x, rows: n, width: d, weight: block.normWeight.base, bias: block.normBias.base, epsilon: epsilon)
            }
        }
        return profile.time(\.other) { Array(UnsafeBufferPointer(start: x, count: n * d)) }
    }
}
