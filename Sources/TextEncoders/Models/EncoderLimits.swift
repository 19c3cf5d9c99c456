/// The ceilings on what a `config.json` may declare, so a damaged or hostile file is an error
/// before anything is allocated from it (t5-11b, the largest public T5, has d_model 1024,
/// d_ff 65,536, 128 heads, 24 layers).
enum EncoderLimits {
    static let maxWidth = 8192
    static let maxHeads = 256
    static let maxHeadWidth = 1024
    static let maxLayers = 128
    static let maxFeedForward = 131_072
    /// Longest input encoded (tokens), also the largest position table accepted.
    static let maxTokens = 65_536
    /// Longest input of an encoder without a position table (T5): attention is quadratic.
    static let maxRelativeTokens = 4096
}
