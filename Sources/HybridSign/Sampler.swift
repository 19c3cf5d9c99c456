import Foundation
import PoseData
import Tensors

/// How to sample.
public struct SamplingOptions: Sendable, Equatable {
    /// How many frames to make.
    public enum FrameLimit: Sendable, Equatable {
        /// Until the progress head says the sequence is over (at most the model's `maxFrames`);
        /// `diffusion` models use the length model.
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

    public init(steps: Int = 1, seed: UInt64 = 0, frames: FrameLimit = .auto, temperature: Float = 0) {
        self.steps = steps
        self.seed = seed
        self.frames = frames
        self.temperature = temperature
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

/// The streaming sampler. `hybrid`: per frame, source μ_i + τσε → N flow steps against the KV
/// cache of finished frames → one clean pass that appends the frame to the cache and yields the
/// next estimate, confidence and progress. `ar`: the estimate is the frame. `diffusion`: the whole
/// sequence in N steps. Past frames are never recomputed.
///
/// Stopping rule (`frames: auto`): after frame i ≥ 1 stop when progress_i · (1 + 0.5 / i) ≥ 1 —
/// less than half a frame's worth of progress is left — or at twice the length model's estimate
/// for the text (at most the model's `maxFrames`).
public struct Sampler: @unchecked Sendable {  // reads the model only; do not train it while streaming
    public let model: HybridSignModel

    /// Joints whose predicted confidence is below this count as missing when a generated frame is
    /// fed back into the clean stream (emitted frames keep the predicted confidence).
    public static let visibilityThreshold: Float = 0.5

    public init(model: HybridSignModel) {
        self.model = model
    }

    /// What the model saw at each step (for tests: streaming equals teacher forcing).
    struct Trace {
        /// Model-space frames `[J·2]` and the confidences `[J]` fed back into the clean stream.
        var frames: [[Float]] = []
        var confidences: [[Float]] = []
        /// μ_i, ĉ_i used for frame i, and progress after frame i.
        var means: [[Float]] = []
        var predictedConfidences: [[Float]] = []
        var progress: [Float] = []
        /// The first flow step's input z and output u for each frame.
        var firstZ: [[Float]] = []
        var firstU: [[Float]] = []
    }

    /// Samples a sequence for `text`, calling `onFrame` as each frame is ready.
    public func sample(text: String, options: SamplingOptions = SamplingOptions(),
                       onFrame: (GeneratedFrame) -> Void = { _ in }) throws(HybridSignError) -> PoseSequence {
        let ids = try model.textIDs(text)
        var trace: Trace?
        return try generate(ids: ids, features: nil, units: model.config.text == .words ? ids.count : text.count,
                            text: text, options: options, trace: &trace, onFrame: onFrame)
    }

    /// Samples a sequence for precomputed text features (`text: sentence` models).
    public func sample(features: TextFeatures, text: String? = nil, options: SamplingOptions = SamplingOptions(),
                       onFrame: (GeneratedFrame) -> Void = { _ in }) throws(HybridSignError) -> PoseSequence {
        guard model.config.text == .sentence else { return try sample(text: text ?? "", options: options, onFrame: onFrame) }
        guard features.width == model.config.sentenceWidth, features.rows > 0 else {
            throw HybridSignError.unsupportedText("sentence features are \(features.rows) × \(features.width); the model reads rows of \(model.config.sentenceWidth)")
        }
        var trace: Trace?
        return try generate(ids: nil, features: features, units: features.rows, text: text, options: options, trace: &trace, onFrame: onFrame)
    }

    /// Samples for a dataset sample's text (or its sentence features for `sentence` models).
    public func sample(for reference: PoseSequence, options: SamplingOptions = SamplingOptions(),
                       onFrame: (GeneratedFrame) -> Void = { _ in }) throws(HybridSignError) -> PoseSequence {
        if model.config.text == .sentence {
            guard let features = reference.textFeatures else {
                throw HybridSignError.invalidData("sample\(reference.name.map { " '\($0)'" } ?? "") has no sentence features, which this model reads")
            }
            return try sample(features: features, text: reference.text, options: options, onFrame: onFrame)
        }
        return try sample(text: reference.text ?? "", options: options, onFrame: onFrame)
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

    func generate(ids: [Int]?, features: TextFeatures?, units: Int, text: String?, options: SamplingOptions,
                  trace: inout Trace?, onFrame: (GeneratedFrame) -> Void) throws(HybridSignError) -> PoseSequence {
        guard options.steps >= 1 || (options.steps == 0 && model.config.mode == .hybrid) else {
            throw HybridSignError.invalidConfig("sampling needs at least 1 flow step (0 only for hybrid models: the AR estimate alone), not \(options.steps)")
        }
        if case .fixed(let n) = options.frames, n < 1 || n > 100_000 {
            throw HybridSignError.invalidConfig("frames must be between 1 and 100000, not \(n)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let graph = Graph(recording: false)
        graph.checksFinite = false
        let network = model.network
        let conditioning = ConditioningCache()
        let textContext = network.encodeText(ids: ids.map { [$0] }, features: features.map { [$0] }, graph: graph)
        var rng = RandomGenerator(seed: options.seed)
        var values: [Float] = []
        let config = model.config
        let j = model.partOrder.count

        if config.mode == .diffusion {
            let frames: Int
            if case .fixed(let n) = options.frames { frames = n } else { frames = model.lengthModel.frames(units: units, maximum: config.maxFrames) }
            let shape = [1, frames, j, 2]
            var z = rng.normal(shape)
            let indices = [Array(0..<frames)]
            for k in 0..<options.steps {
                let t = 1 - Float(k) / Float(options.steps), r = 1 - Float(k + 1) / Float(options.steps)
                let u = network.noisyPass(z: graph.constant(z), mean: Tensor(zeros: shape), ownConfidence: Tensor(repeating: 1, shape: [1, frames, j]),
                                          frames: indices, t: graph.constant(Tensor(repeating: t, shape: [1, frames])),
                                          r: graph.constant(Tensor(repeating: r, shape: [1, frames])), text: textContext, history: .none, conditioning: conditioning, graph: graph)
                z = z - u.value * (t - r)
            }
            let confidence = model.partOrder.map { max(model.jointConfidence[$0], 1e-3) }
            let frameConfidence = (0..<frames).flatMap { _ in confidence }
            values = model.dataSpace(coordinates: z.scalars, confidence: frameConfidence)
            let time = now()
            for i in 0..<frames {
                onFrame(GeneratedFrame(index: i, values: Array(values[(i * j * 3)..<((i + 1) * j * 3)]), progress: 1, time: time))
            }
        } else {
            var clean = network.cleanPass(frames: nil, confidence: nil, firstFrame: 0, prependBOS: true, text: textContext, history: .none, conditioning: conditioning, graph: graph)
            let cache = StreamingCache()
            cache.append(clean.produced)
            // `auto`: the progress rule, bounded by twice the length model's estimate (and maxFrames).
            let limit: Int
            if case .fixed(let n) = options.frames { limit = n } else {
                limit = min(config.maxFrames, 2 * model.lengthModel.frames(units: units, maximum: config.maxFrames))
            }
            for i in 0..<limit {
                let mean = clean.mean.value.reshaped([1, 1, j, 2])
                let predicted = clean.confidence.value.reshaped([1, 1, j])
                var x = mean
                var firstZ: Tensor?, firstU: Tensor?
                if config.mode == .hybrid && options.steps > 0 {
                    var z = mean + rng.normal([1, 1, j, 2]) * (options.temperature * config.sigma)
                    for k in 0..<options.steps {
                        let t = 1 - Float(k) / Float(options.steps), r = 1 - Float(k + 1) / Float(options.steps)
                        let u = network.noisyPass(z: graph.constant(z), mean: mean, ownConfidence: predicted, frames: [[i]],
                                                  t: graph.constant(Tensor(repeating: t, shape: [1, 1])),
                                                  r: graph.constant(Tensor(repeating: r, shape: [1, 1])),
                                                  text: textContext, history: .streaming(cache), conditioning: conditioning, graph: graph)
                        if k == 0 { firstZ = z; firstU = u.value }
                        z = z - u.value * (t - r)
                    }
                    x = z
                }
                // The emitted frame keeps every joint's position with its predicted confidence (a
                // consumer may threshold it). Fed back into the clean stream, joints predicted
                // invisible are missing — confidence 0 and x = y = 0 — as in the training data.
                if !x.scalars.allSatisfy(\.isFinite) {
                    throw HybridSignError.diverged("sampling produced NaN or infinity at frame \(i); the model weights are broken")
                }
                let frame = model.dataSpace(coordinates: x.scalars, confidence: predicted.scalars)
                let confidence = predicted.scalars.map { $0 >= Self.visibilityThreshold ? $0 : 0 }
                var coordinates = x.scalars
                for m in 0..<j where confidence[m] == 0 { coordinates[m * 2] = 0; coordinates[m * 2 + 1] = 0 }
                values += frame
                let frameTime = now()
                clean = network.cleanPass(frames: Tensor(shape: [1, 1, j, 2], scalars: coordinates),
                                          confidence: Tensor(shape: [1, 1, j], scalars: confidence),
                                          firstFrame: i, prependBOS: false, text: textContext, history: .streaming(cache), conditioning: conditioning, graph: graph)
                cache.append(clean.produced)
                let progress = clean.progress.value.scalars[0]
                if trace != nil {
                    trace!.frames.append(coordinates)
                    trace!.confidences.append(confidence)
                    trace!.means.append(mean.scalars)
                    trace!.predictedConfidences.append(predicted.scalars)
                    trace!.progress.append(progress)
                    trace!.firstZ.append(firstZ?.scalars ?? [])
                    trace!.firstU.append(firstU?.scalars ?? [])
                }
                onFrame(GeneratedFrame(index: i, values: frame, progress: progress, time: frameTime))
                if case .auto = options.frames, i >= 1, progress * (1 + 0.5 / Float(i)) >= 1 { break }
            }
        }
        do {
            return try PoseSequence(layout: config.layout, fps: model.fps, values: values, text: text)
        } catch {
            throw HybridSignError.invalidData("generated sequence: \(error)")
        }
    }
}
