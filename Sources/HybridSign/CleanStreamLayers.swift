import Tensors

/// The clean stream's own layers: per part the input embedder and the start (BOS) tokens, then
/// the output norm, the AR estimate and confidence heads per part, and the progress head.
struct CleanStreamLayers {
    let embedders: [TokenEmbedder]
    let bos: [Parameter]
    let norm: LayerNorm
    let meanHeads: [Linear]
    let confidenceHeads: [Linear]
    /// Linear, not a sigmoid: a sigmoid trained with MSE stays well below its end target 1, so the
    /// stopping rule never fired (measured: progress saturated at ~0.9 on the word data).
    let progressHead: Linear

    /// The heads drawn from `rng` in order (norm, estimate heads, confidence heads, progress head).
    init(embedders: [TokenEmbedder], bos: [Parameter], outputsPerToken: [Int], dim d: Int, rng: inout RandomGenerator) {
        self.embedders = embedders
        self.bos = bos
        norm = LayerNorm(d)
        meanHeads = outputsPerToken.map { Linear(d, 2 * $0, rng: &rng) }
        confidenceHeads = outputsPerToken.map { Linear(d, $0, rng: &rng) }
        progressHead = Linear(d, 1, rng: &rng)
    }
}
