import Foundation

/// The sampling settings a model recommends, stored in its checkpoint (metadata `sampling`):
/// `sample`, `stream` and `eval` use them for every setting a call does not give.
public struct SamplingDefaults: Codable, Sendable, Equatable {
    /// Flow steps per frame (per sequence for `diffusion`); 0 only for `hybrid` (the AR estimate).
    public var steps: Int = 1
    /// Noise temperature τ of the flow's source μ + τ·σ·ε (`hybrid`).
    public var temperature: Float = 0

    public init(steps: Int = 1, temperature: Float = 0) {
        self.steps = steps
        self.temperature = temperature
    }

    /// What a new model of `config` recommends: 1 step at temperature 0 (the flow refines the AR
    /// estimate), or temperature 1 when the flow starts from noise alone (``FlowSource/noise``:
    /// at 0 every frame's flow would start from the same point).
    public init(recommendedFor config: ModelConfig) {
        self.init(steps: 1, temperature: config.flowSource == .noise ? 1 : 0)
    }

    /// Reads the stored settings; missing keys keep the built-in defaults (older checkpoints).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        if let steps = try c.decodeIfPresent(Int.self, forKey: .steps) { self.steps = steps }
        if let temperature = try c.decodeIfPresent(Float.self, forKey: .temperature) { self.temperature = temperature }
    }

    /// Checks the settings can sample a model of `mode`.
    public func validate(for mode: ModelMode) throws(HybridSignError) {
        guard (steps >= 1 || (steps == 0 && mode == .hybrid)), steps <= 1000 else {
            throw HybridSignError.invalidConfig("default sampling steps must be 1...1000 (0 only for hybrid models), not \(steps)")
        }
        guard temperature >= 0, temperature.isFinite else {
            throw HybridSignError.invalidConfig("default sampling temperature must be 0 or more, not \(temperature)")
        }
    }

    /// Options with these settings and the call's seed, frame limit and signer.
    public func options(seed: UInt64 = 0, frames: SamplingOptions.FrameLimit = .auto, signer: String? = nil) -> SamplingOptions {
        SamplingOptions(steps: steps, seed: seed, frames: frames, temperature: temperature, signer: signer)
    }

    /// `steps 1, temperature 0`.
    public var summary: String {
        "steps \(steps), temperature " + String(format: "%g", Double(temperature))
    }
}
