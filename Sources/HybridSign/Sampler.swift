import Foundation
import Platform
import PoseData
import Tensors

/// The streaming sampler. `hybrid`: per frame, source μ_i + τσε → N flow steps against the KV
/// cache of finished frames → one clean pass that appends the frame to the cache and yields the
/// next estimate, confidence and progress. `ar`: the estimate is the frame. `diffusion`: the whole
/// sequence in N steps. Past frames are never recomputed.
///
/// Stopping rule (`frames: auto`): after frame i ≥ 1 stop when progress_i · (1 + 0.5 / i) ≥ 1 —
/// less than half a frame's worth of progress is left — or at twice the length model's estimate
/// for the text, at most the model's `maxFrames` and at most ``maximumAutomaticFrames`` whatever
/// the model file says (a model whose progress head never ends stops there).
///
/// `shouldStop` (Ctrl-C) is checked before every frame (every flow step for `diffusion`): the
/// sampler then returns the frames made so far.
public struct Sampler: @unchecked Sendable {  // reads the model only; do not train it while streaming
    public let model: HybridSignModel

    /// Joints whose predicted confidence is below this count as missing when a generated frame is
    /// fed back into the clean stream (emitted frames keep the predicted confidence).
    public static let visibilityThreshold: Float = 0.5

    /// The most frames `frames: auto` makes (40 s at 25 fps), a ceiling of the tool's own: the
    /// model file's `maxFrames` and length model cannot raise it.
    public static let maximumAutomaticFrames = 1_000
    /// The most frames a fixed count may ask for.
    public static let maximumFrames = 100_000

    /// When set, each sampling call of one sequence times its ops and hands the report
    /// (``Graph/profileReport()``: time, calls and, for the linear layers, GFLOP/s per op) here.
    public var onProfile: ((String) -> Void)?

    public init(model: HybridSignModel) {
        self.model = model
    }

    /// Samples a sequence for `text`, calling `onFrame` as each frame is ready.
    public func sample(text: String, options: SamplingOptions = SamplingOptions(), onFrame: (GeneratedFrame) -> Void = { _ in },
                       shouldStop: () -> Bool = { false }) throws(HybridSignError) -> PoseSequence {
        if model.textEncoder != nil {
            // The stream's clock starts before the encoding: a sentence's first frame waits for it.
            let started = DispatchTime.now().uptimeNanoseconds
            guard let features = model.encodedFeatures(text) else { throw HybridSignError.unsupportedText("the text encoder gave no features") }
            var trace: Trace?
            return try generate(Request(ids: nil, features: features, units: features.rows, text: text, started: started),
                                options: options, trace: &trace, shouldStop: shouldStop, onFrame: onFrame)
        }
        let ids = try model.textIDs(text)
        var trace: Trace?
        let request = Request(ids: ids, features: nil, units: model.config.text == .words ? ids.count : text.count, text: text)
        return try generate(request, options: options, trace: &trace, shouldStop: shouldStop, onFrame: onFrame)
    }

    /// Samples a sequence for precomputed text features (`text: sentence` models).
    public func sample(features: TextFeatures, text: String? = nil, options: SamplingOptions = SamplingOptions(),
                       onFrame: (GeneratedFrame) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws(HybridSignError) -> PoseSequence {
        guard model.config.text == .sentence else {
            return try sample(text: text ?? "", options: options, onFrame: onFrame, shouldStop: shouldStop)
        }
        guard features.width == model.config.sentenceWidth, features.rows > 0 else {
            throw HybridSignError.unsupportedText("sentence features are \(features.rows) × \(features.width); the model reads rows of \(model.config.sentenceWidth)")
        }
        var trace: Trace?
        return try generate(Request(ids: nil, features: features, units: features.rows, text: text), options: options,
                            trace: &trace, shouldStop: shouldStop, onFrame: onFrame)
    }

    /// Samples for a dataset sample's text (or its sentence features for `sentence` models).
    public func sample(for reference: PoseSequence, options: SamplingOptions = SamplingOptions(), onFrame: (GeneratedFrame) -> Void = { _ in },
                       shouldStop: () -> Bool = { false }) throws(HybridSignError) -> PoseSequence {
        if model.config.text == .sentence && model.textEncoder == nil {
            guard let features = reference.textFeatures else {
                throw HybridSignError.invalidData("sample\(reference.name.map { " \(QuotedText.quoted($0))" } ?? "") has no sentence features, which this model reads")
            }
            return try sample(features: features, text: reference.text, options: options, onFrame: onFrame, shouldStop: shouldStop)
        }
        return try sample(text: reference.text ?? "", options: options, onFrame: onFrame, shouldStop: shouldStop)
    }

    /// The frames as an async sequence, each as soon as it is made.
    public func stream(text: String, options: SamplingOptions = SamplingOptions()) -> AsyncThrowingStream<GeneratedFrame, any Error> {
        let sampler = self
        return AsyncThrowingStream { continuation in
            let thread = Thread {
                do {
                    _ = try sampler.sample(text: text, options: options) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}
