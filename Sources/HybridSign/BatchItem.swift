import PoseData

/// One sequence of a batched sampling call: what to sign, and the seed and signer that make it the
/// same sequence as ``Sampler/sample(text:options:onFrame:shouldStop:)`` gives one at a time.
public struct BatchItem: Sendable, Equatable {
    /// The text (kept on the sequence; encoded unless `features` are given).
    public var text: String
    /// Precomputed sentence features (`text: sentence` models without a text encoder), or nil.
    public var features: TextFeatures?
    /// This sequence's own noise stream.
    public var seed: UInt64
    /// The signer to sign as (signer-conditioned models), or nil for none.
    public var signer: String?

    public init(text: String, features: TextFeatures? = nil, seed: UInt64, signer: String? = nil) {
        self.text = text
        self.features = features
        self.seed = seed
        self.signer = signer
    }

    /// One item per text, the k-th with seed `options.seed + k` and `options.signer`: the seeds a
    /// list of texts gets in `sample --texts` and in the notebook.
    public static func items(texts: [String], options: SamplingOptions) -> [BatchItem] {
        texts.enumerated().map { BatchItem(text: $1, seed: options.seed &+ UInt64($0), signer: options.signer) }
    }
}
