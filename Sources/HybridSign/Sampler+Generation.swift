import Foundation
import PoseData
import Tensors

extension Sampler {
    /// What to sample for: vocabulary ids or sentence features, the text's length in units (what
    /// the length model reads) and the text itself (kept on the sequence).
    struct Request {
        var ids: [Int]?
        var features: TextFeatures?
        var units: Int
        var text: String?
        /// When the request began (uptime nanoseconds), if before sampling: the text encoding.
        var started: UInt64? = nil
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

    /// Samples the sequence `request` asks for in the model's mode, stopping early (with the frames
    /// made so far) when `shouldStop` returns true.
    func generate(_ request: Request, options: SamplingOptions, trace: inout Trace?, shouldStop: () -> Bool,
                  onFrame: (GeneratedFrame) -> Void) throws(HybridSignError) -> PoseSequence {
        try validate(options)
        let signer = try model.signerID(options.signer)
        var pass = SamplingPass(model: model, request: request, signer: signer, seed: options.seed, profiled: onProfile != nil)
        defer { onProfile?(pass.graph.profileReport()) }
        let values = model.config.mode == .diffusion
            ? generateWhole(&pass, frames: diffusionLength(options, units: request.units), options: options,
                            shouldStop: shouldStop, onFrame: onFrame)
            : try generateFrames(&pass, limit: frameLimit(options, units: request.units), options: options, trace: &trace,
                                 shouldStop: shouldStop, onFrame: onFrame)
        do {
            return try PoseSequence(layout: model.config.layout, fps: model.fps, values: values, text: request.text)
        } catch {
            throw HybridSignError.invalidData("generated sequence: \(error)")
        }
    }

    func validate(_ options: SamplingOptions) throws(HybridSignError) {
        guard options.steps >= 1 || (options.steps == 0 && model.config.mode == .hybrid) else {
            throw HybridSignError.invalidConfig("sampling needs at least 1 flow step (0 only for hybrid models: the AR estimate alone), not \(options.steps)")
        }
        guard options.temperature >= 0, options.temperature.isFinite else {
            throw HybridSignError.invalidConfig("the temperature must be 0 or more, not \(options.temperature)")
        }
        if case .fixed(let n) = options.frames, n < 1 || n > Self.maximumFrames {
            throw HybridSignError.invalidConfig("frames must be between 1 and \(Self.maximumFrames), not \(n)")
        }
    }

    /// The most frames a streamed sequence gets: the fixed count, or for `auto` twice the length
    /// model's estimate, at most `maxFrames` and ``maximumAutomaticFrames`` (both come from the
    /// model file; the tool's own ceiling does not); the progress rule usually ends it sooner.
    func frameLimit(_ options: SamplingOptions, units: Int) -> Int {
        if case .fixed(let n) = options.frames { return n }
        let ceiling = automaticCeiling
        return min(ceiling, 2 * model.lengthModel.frames(units: units, maximum: ceiling))
    }

    /// The most frames `frames: auto` makes with this model.
    public var automaticCeiling: Int { min(model.config.maxFrames, Self.maximumAutomaticFrames) }

    /// The length of a `diffusion` sequence: the fixed count, or the length model's estimate.
    private func diffusionLength(_ options: SamplingOptions, units: Int) -> Int {
        if case .fixed(let n) = options.frames { return n }
        return model.lengthModel.frames(units: units, maximum: automaticCeiling)
    }

    /// Whether `frames: auto` ends after frame `i` (≥ 1): less than half a frame of progress is left.
    static func isFinished(progress: Float, afterFrame i: Int) -> Bool {
        i >= 1 && progress * (1 + 0.5 / Float(i)) >= 1
    }

    /// Whether a `frames: auto` sequence whose last frame is `last` was ended by the model's
    /// progress head, rather than cut at the frame limit (or stopped by Ctrl-C).
    public static func endedByProgress(_ last: GeneratedFrame) -> Bool {
        isFinished(progress: last.progress, afterFrame: last.index)
    }

    /// Flow step `k` of `steps` on the even grid from t = 1 to 0: the step's (t, r).
    static func flowTimes(step k: Int, of steps: Int) -> (t: Float, r: Float) {
        (1 - Float(k) / Float(steps), 1 - Float(k + 1) / Float(steps))
    }

    // MARK: - hybrid and ar: frame by frame

    /// Makes frames one at a time against the KV cache: refine the estimate (hybrid), emit the
    /// frame, feed it back through one clean pass, which gives the next estimate and the progress.
    private func generateFrames(_ pass: inout SamplingPass, limit: Int, options: SamplingOptions, trace: inout Trace?,
                                shouldStop: () -> Bool, onFrame: (GeneratedFrame) -> Void) throws(HybridSignError) -> [Float] {
        let j = model.partOrder.count
        var clean = pass.network.cleanPass(frames: nil, confidence: nil, firstFrame: 0, prependBOS: true, text: pass.text,
                                           history: .none, conditioning: pass.conditioning, graph: pass.graph)
        let cache = StreamingCache()
        cache.append(clean.produced)
        var values: [Float] = []
        for i in 0..<limit {
            if shouldStop() { break }
            let mean = clean.mean.value.reshaped([1, 1, j, 2])
            let predicted = clean.confidence.value.reshaped([1, 1, j])
            let (x, firstStep) = refine(mean, confidence: predicted, frame: i, options: options, pass: &pass, cache: cache)
            guard x.scalars.allSatisfy(\.isFinite) else {
                throw HybridSignError.diverged("sampling produced NaN or infinity at frame \(i); the model weights are broken")
            }
            let frame = model.dataSpace(coordinates: x.scalars, confidence: predicted.scalars)
            let fed = Self.fedBack(x.scalars, confidence: predicted.scalars)
            values += frame
            let frameTime = pass.elapsed
            clean = pass.network.cleanPass(frames: Tensor(shape: [1, 1, j, 2], scalars: fed.coordinates),
                                           confidence: Tensor(shape: [1, 1, j], scalars: fed.confidence), firstFrame: i, prependBOS: false,
                                           text: pass.text, history: .streaming(cache), conditioning: pass.conditioning, graph: pass.graph)
            cache.append(clean.produced)
            let progress = clean.progress.value.scalars[0]
            trace?.record(fed: fed, mean: mean, predicted: predicted, progress: progress, firstStep: firstStep)
            onFrame(GeneratedFrame(index: i, values: frame, progress: progress, time: frameTime))
            if case .auto = options.frames, Self.isFinished(progress: progress, afterFrame: i) { break }
        }
        return values
    }

    /// The frame from its estimate μ: `hybrid` runs the flow steps from μ + τσε (or τσε, see
    /// ``FlowSource``) against the cache;
    /// `ar` (and `steps: 0`) keeps μ. Also the first step's input and velocity, for the trace.
    private func refine(_ mean: Tensor, confidence: Tensor, frame i: Int, options: SamplingOptions, pass: inout SamplingPass,
                        cache: StreamingCache) -> (frame: Tensor, firstStep: (z: Tensor, u: Tensor)?) {
        guard model.config.mode == .hybrid && options.steps > 0 else { return (mean, nil) }
        let graph = pass.graph
        var z = model.config.flowStart(mean: mean, noise: pass.rng.normal(mean.shape) * (options.temperature * model.config.sigma))
        var firstStep: (z: Tensor, u: Tensor)?
        for k in 0..<options.steps {
            let (t, r) = Self.flowTimes(step: k, of: options.steps)
            let u = pass.network.noisyPass(z: graph.constant(z), mean: mean, ownConfidence: confidence, frames: [[i]],
                                           t: graph.constant(Tensor(repeating: t, shape: [1, 1])),
                                           r: graph.constant(Tensor(repeating: r, shape: [1, 1])),
                                           text: pass.text, history: .streaming(cache), conditioning: pass.conditioning, graph: graph)
            if k == 0 { firstStep = (z, u.value) }
            z = z - u.value * (t - r)
        }
        return (z, firstStep)
    }

    /// A frame as the clean stream reads it back: joints predicted invisible (below
    /// ``visibilityThreshold``) are missing — confidence 0 and x = y = 0 — as in the training
    /// data. The emitted frame keeps every joint with its predicted confidence.
    static func fedBack(_ coordinates: [Float], confidence predicted: [Float]) -> (coordinates: [Float], confidence: [Float]) {
        let confidence = predicted.map { $0 >= visibilityThreshold ? $0 : 0 }
        var kept = coordinates
        for m in confidence.indices where confidence[m] == 0 {
            kept[m * 2] = 0
            kept[m * 2 + 1] = 0
        }
        return (kept, confidence)
    }

    // MARK: - diffusion: the whole sequence at once

    /// Runs the flow steps over the whole sequence from noise, then emits every frame (each with
    /// the joints' mean training confidence). Stopped before the last step, it makes no frame.
    private func generateWhole(_ pass: inout SamplingPass, frames: Int, options: SamplingOptions, shouldStop: () -> Bool,
                               onFrame: (GeneratedFrame) -> Void) -> [Float] {
        let j = model.partOrder.count
        let graph = pass.graph
        let shape = [1, frames, j, 2]
        var z = pass.rng.normal(shape)
        let indices = [Array(0..<frames)]
        for k in 0..<options.steps {
            if shouldStop() { return [] }
            let (t, r) = Self.flowTimes(step: k, of: options.steps)
            let u = pass.network.noisyPass(z: graph.constant(z), mean: Tensor(zeros: shape), ownConfidence: Tensor(repeating: 1, shape: [1, frames, j]),
                                           frames: indices, t: graph.constant(Tensor(repeating: t, shape: [1, frames])),
                                           r: graph.constant(Tensor(repeating: r, shape: [1, frames])), text: pass.text, history: .none,
                                           conditioning: pass.conditioning, graph: graph)
            z = z - u.value * (t - r)
        }
        let confidence = model.partOrder.map { max(model.jointConfidence[$0], 1e-3) }
        let values = model.dataSpace(coordinates: z.scalars, confidence: (0..<frames).flatMap { _ in confidence })
        let time = pass.elapsed
        for i in 0..<frames {
            onFrame(GeneratedFrame(index: i, values: Array(values[(i * j * 3)..<((i + 1) * j * 3)]), progress: 1, time: time))
        }
        return values
    }
}

extension Sampler.Trace {
    /// Adds what the model saw for one frame.
    mutating func record(fed: (coordinates: [Float], confidence: [Float]), mean: Tensor, predicted: Tensor, progress: Float,
                         firstStep: (z: Tensor, u: Tensor)?) {
        frames.append(fed.coordinates)
        confidences.append(fed.confidence)
        means.append(mean.scalars)
        predictedConfidences.append(predicted.scalars)
        self.progress.append(progress)
        firstZ.append(firstStep?.z.scalars ?? [])
        firstU.append(firstStep?.u.scalars ?? [])
    }
}

/// One sampling call's working state: a graph that records nothing, the text encoded once, the
/// adaLN modulations computed once per flow time, the noise, and the clock frames are timed by.
struct SamplingPass {
    let graph: Graph
    let network: HybridSignNetwork
    let conditioning: ConditioningCache
    let text: HybridSignNetwork.TextContext
    var rng: RandomGenerator
    private let start: UInt64

    init(model: HybridSignModel, request: Sampler.Request, signer: Int, seed: UInt64, profiled: Bool) {
        start = request.started ?? DispatchTime.now().uptimeNanoseconds
        graph = Graph(recording: false)
        graph.checksFinite = false
        graph.isProfiling = profiled
        network = model.network
        conditioning = ConditioningCache(network: network, graph: graph)
        text = network.encodeText(ids: request.ids.map { [$0] }, features: request.features.map { [$0] }, signers: [signer], graph: graph)
        rng = RandomGenerator(seed: seed)
    }

    /// Seconds since the call started.
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
