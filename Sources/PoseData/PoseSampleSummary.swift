/// What a dataset knows about a sample without reading its frames.
public struct PoseSampleSummary: Sendable, Equatable {
    public var name: String?
    public var text: String?
    public var gloss: String?
    public var signer: String?
    /// Frames per second.
    public var fps: Double
    /// The number of frames, T.
    public var frameCount: Int
    /// Rows and width of precomputed text features, nil when the sample has none.
    public var textFeatureRows: Int?
    public var textFeatureWidth: Int?

    /// The summary of a sample in memory.
    public init(_ sample: PoseSequence) {
        self.init(name: sample.name, text: sample.text, gloss: sample.gloss, signer: sample.signer,
                  fps: sample.fps, frameCount: sample.frameCount,
                  textFeatureRows: sample.textFeatures?.rows, textFeatureWidth: sample.textFeatures?.width)
    }

    public init(name: String?, text: String?, gloss: String?, signer: String?, fps: Double, frameCount: Int,
                textFeatureRows: Int?, textFeatureWidth: Int?) {
        self.name = name
        self.text = text
        self.gloss = gloss
        self.signer = signer
        self.fps = fps
        self.frameCount = frameCount
        self.textFeatureRows = textFeatureRows
        self.textFeatureWidth = textFeatureWidth
    }

    /// The duration in seconds.
    public var duration: Double { Double(frameCount) / fps }
}
