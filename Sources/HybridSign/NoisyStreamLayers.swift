import Tensors

/// The noisy stream's own layers: per part the input embedder (of [z, μ]), then the final adaLN
/// modulation and the velocity heads per part, both zero-initialised so an untrained flow step
/// returns the AR estimate.
struct NoisyStreamLayers {
    let embedders: [TokenEmbedder]
    let finalModulation: Linear
    let velocityHeads: [Linear]

    init(embedders: [TokenEmbedder], outputsPerToken: [Int], dim d: Int) {
        self.embedders = embedders
        finalModulation = Linear(zeros: d, 2 * d)
        velocityHeads = outputsPerToken.map { Linear(zeros: d, 2 * $0) }
    }
}
