/// How to sample.
public struct SamplingOptions: Sendable, Equatable {
    /// How many frames to make.
    public enum FrameLimit: Sendable, Equatable {
        /// Until the progress head says the sequence is over, at most twice the length model's
        /// estimate for the text (and the model's `maxFrames`); `diffusion` models make the
        /// length model's estimate.
        case auto
        /// Exactly this many frames.
        case fixed(Int)
    }

    /// Flow steps per frame (per sequence for `diffusion`); 0 makes a hybrid model emit its AR
    /// estimate μ unrefined (an ablation).
    public var steps: Int = 1
    public var seed: UInt64 = 0
    public var frames: FrameLimit = .auto
    /// Noise temperature τ of the source μ + τ·σ·ε (`hybrid`); 0 (the default, by measurement:
    /// dev DTW-MJE 36.2 at τ = 0, 37.1 at 0.5, 38.6 at 1) starts from the AR estimate.
    public var temperature: Float = 0
    /// The signer to sign as (a code the model knows; `signerConditioning` models only), or nil
    /// for none: the model then chooses freely among the signings it learned.
    public var signer: String?

    public init(steps: Int = 1, seed: UInt64 = 0, frames: FrameLimit = .auto, temperature: Float = 0, signer: String? = nil) {
        self.steps = steps
        self.seed = seed
        self.frames = frames
        self.temperature = temperature
        self.signer = signer
    }
}

/// A frame as it is made.
public struct GeneratedFrame: Sendable {
    /// Frame index.
    public var index: Int
    /// `J × 3` values (x, y, confidence) in data units, layout order.
    public var values: [Float]
    /// The progress head's value after this frame (1 for `diffusion`).
    public var progress: Float
    /// Seconds since sampling started when the frame was ready.
    public var time: Double
}


extension SamplingOptions {
    /// These options with the settings a call gives explicitly (nil keeps the current value).
    public func overriding(steps: Int? = nil, temperature: Float? = nil) -> SamplingOptions {
        var options = self
        if let steps { options.steps = steps }
        if let temperature { options.temperature = temperature }
        return options
    }
}
