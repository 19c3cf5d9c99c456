import Foundation

/// The BERT family's encoder (BERT, MiniLM, multilingual MiniLM): word, absolute position and
/// token-type embeddings, post-LayerNorm blocks of scaled self-attention and a GELU feed-forward.
struct BertEncoder: Sendable {
    struct Block: Sendable {
        let query, queryBias, key, keyBias, value, valueBias: [Float]
        let output, outputBias, attentionNormWeight, attentionNormBias: [Float]
        let intermediate, intermediateBias, down, downBias, normWeight, normBias: [Float]
    }

    let width: Int
    let heads: Int
    let feedForwardWidth: Int
    let vocabularySize: Int
    let maxPositions: Int
    let epsilon: Float
    let activation: Activation
    let wordEmbeddings, positionEmbeddings, tokenTypeEmbedding: [Float]
    let embeddingNormWeight, embeddingNormBias: [Float]
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
        let weights = try EncoderWeights(contentsOf: weightsURL, prefixes: ["bert."], keeping: { $0.hasPrefix("embeddings.") || $0.hasPrefix("encoder.") })
        let (d, f) = (width, feedForwardWidth)
        wordEmbeddings = try weights.tensor("embeddings.word_embeddings.weight", shape: [vocabularySize, d])
        positionEmbeddings = try weights.tensor("embeddings.position_embeddings.weight", shape: [maxPositions, d])
        // Every token has type 0: one text, no second segment.
        tokenTypeEmbedding = Array(try weights.tensor("embeddings.token_type_embeddings.weight", shape: [typeCount, d]).prefix(d))
        embeddingNormWeight = try weights.tensor("embeddings.LayerNorm.weight", shape: [d])
        embeddingNormBias = try weights.tensor("embeddings.LayerNorm.bias", shape: [d])
        var blocks: [Block] = []
        for i in 0..<layers {
            let p = "encoder.layer.\(i)."
            blocks.append(Block(
                query: try weights.tensor(p + "attention.self.query.weight", shape: [d, d]),
                queryBias: try weights.tensor(p + "attention.self.query.bias", shape: [d]),
                key: try weights.tensor(p + "attention.self.key.weight", shape: [d, d]),
                keyBias: try weights.tensor(p + "attention.self.key.bias", shape: [d]),
                value: try weights.tensor(p + "attention.self.value.weight", shape: [d, d]),
                valueBias: try weights.tensor(p + "attention.self.value.bias", shape: [d]),
                output: try weights.tensor(p + "attention.output.dense.weight", shape: [d, d]),
                outputBias: try weights.tensor(p + "attention.output.dense.bias", shape: [d]),
                attentionNormWeight: try weights.tensor(p + "attention.output.LayerNorm.weight", shape: [d]),
                attentionNormBias: try weights.tensor(p + "attention.output.LayerNorm.bias", shape: [d]),
                intermediate: try weights.tensor(p + "intermediate.dense.weight", shape: [f, d]),
                intermediateBias: try weights.tensor(p + "intermediate.dense.bias", shape: [f]),
                down: try weights.tensor(p + "output.dense.weight", shape: [d, f]),
                downBias: try weights.tensor(p + "output.dense.bias", shape: [d]),
                normWeight: try weights.tensor(p + "output.LayerNorm.weight", shape: [d]),
                normBias: try weights.tensor(p + "output.LayerNorm.bias", shape: [d])))
        }
        self.blocks = blocks
    }

    /// The last hidden states `[ids.count, width]`; ids must be below `vocabularySize` and at
    /// most `maxPositions` of them (the caller's tokenizer limit).
    func encode(_ ids: [Int]) -> [Float] {
        let n = ids.count, d = width
        guard n > 0 else { return [] }
        var x = [Float](repeating: 0, count: n * d)
        for (t, id) in ids.enumerated() {
            for i in 0..<d { x[t * d + i] = wordEmbeddings[id * d + i] + positionEmbeddings[t * d + i] + tokenTypeEmbedding[i] }
        }
        EncoderMath.layerNorm(&x, width: d, weight: embeddingNormWeight, bias: embeddingNormBias, epsilon: epsilon)
        let headWidth = d / heads
        for block in blocks {
            let q = EncoderMath.linear(x, rows: n, block.query, out: d, bias: block.queryBias)
            let k = EncoderMath.linear(x, rows: n, block.key, out: d, bias: block.keyBias)
            let v = EncoderMath.linear(x, rows: n, block.value, out: d, bias: block.valueBias)
            let attended = EncoderMath.attention(q: q, k: k, v: v, n: n, heads: heads, headWidth: headWidth,
                                                 scale: 1 / Float(headWidth).squareRoot(), bias: nil)
            var h = EncoderMath.linear(attended, rows: n, block.output, out: d, bias: block.outputBias)
            EncoderMath.add(&h, x)
            EncoderMath.layerNorm(&h, width: d, weight: block.attentionNormWeight, bias: block.attentionNormBias, epsilon: epsilon)
            var inner = EncoderMath.linear(h, rows: n, block.intermediate, out: feedForwardWidth, bias: block.intermediateBias)
            activation.apply(&inner)
            x = EncoderMath.linear(inner, rows: n, block.down, out: d, bias: block.downBias)
            EncoderMath.add(&x, h)
            EncoderMath.layerNorm(&x, width: d, weight: block.normWeight, bias: block.normBias, epsilon: epsilon)
        }
        return x
    }
}
