import Foundation
import PoseData
import Tensors
import TextEncoders

/// How to train: optimiser, schedule, batch and budget (stored in checkpoints).
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// Optimiser steps in the whole run (the cosine schedule ends here).
    public var steps: Int = 1000
    public var batchSize: Int = 8
    /// Peak learning rate, reached after `warmupSteps`.
    public var learningRate: Float = 1e-3
    public var warmupSteps: Int = 100
    public var weightDecay: Float = 0.01
    /// Global gradient-norm clip.
    public var clipNorm: Float = 1
    public var emaDecay: Float = 0.999
    /// Seed of the initial weights, the data order and every step's noise.
    public var seed: UInt64 = 0

    public init() {}
}

/// Progress of a training run, reported after each step.
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var loss: LossBreakdown
    public var learningRate: Float
    /// Tokens processed per second over the run so far (tokens = real frames × tokens per frame,
    /// counting each frame once per stream it enters: clean, and noisy — `flowFraction` of the frames — for hybrid).
    public var tokensPerSecond: Double
    /// Estimated seconds left.
    public var secondsLeft: Double

    /// One line: step, loss, rate, time left.
    public var line: String {
        let left = secondsLeft.isFinite ? "\(Int(secondsLeft / 60))m\(String(format: "%02d", Int(secondsLeft) % 60))s" : "?"
        return String(format: "step %d/%d  loss %.4f (ar %.4f flow-mse %.4f conf %.4f prog %.4f)  lr %.2e  %.0f tok/s  left %@",
                      step, totalSteps, loss.total, loss.ar, loss.flowError, loss.confidence, loss.progress,
                      learningRate, tokensPerSecond, left)
    }
}

/// Trains a HybridSign model: AdamW (decoupled decay), warm-up + cosine, global-norm clipping,
/// EMA, batches bucketed by length; deterministic for a seed, resumable exactly from a checkpoint.
public final class Trainer {
    public let model: HybridSignModel
    public private(set) var options: TrainingOptions
    /// Steps taken so far.
    public private(set) var step: Int
    private(set) var data: TrainingData
    let optimizer: AdamW
    let ema: EMA
    /// Groups of sequences a batch runs as, one per core (``Objective/loss(model:batch:rng:graph:shards:)``).
    /// Only the order of float sums depends on it.
    var shards = Parallel.workerCount
    /// The precision of the linear layers' products (`bf16`: mixed precision, ``MatmulPrecision``).
    /// A setting of the run, like the number of cores: not stored in checkpoints.
    public var matmulPrecision: MatmulPrecision = .fp32

    /// A trainer for `model` on `dataset`.
    public init(model: HybridSignModel, dataset: PoseDataset, options: TrainingOptions) throws(HybridSignError) {
        try Self.validate(options)
        self.model = model
        self.options = options
        step = 0
        data = try TrainingData(dataset, model: model, batchSize: options.batchSize, seed: options.seed)
        let named = model.network.namedParameters().map { (name: $0.name, parameter: $0.parameter) }
        optimizer = AdamW(named, learningRate: options.learningRate, weightDecay: options.weightDecay)
        ema = EMA(named, decay: options.emaDecay)
    }

    /// A new model fitted to `dataset` (normaliser, vocabulary, length model) and its trainer;
    /// with `textEncoder`, conditioned on that frozen encoder's hidden states of each text.
    public convenience init(config: ModelConfig, dataset: PoseDataset, options: TrainingOptions,
                            textEncoder: PretrainedTextEncoder? = nil) throws(HybridSignError) {
        let model = try HybridSignModel(config: config, fitting: dataset, seed: options.seed, textEncoder: textEncoder)
        try self.init(model: model, dataset: dataset, options: options)
    }

    /// Continues the run saved in `url` on `dataset` (weights, EMA, optimiser state and step).
    /// `steps` may extend the run's total.
    public convenience init(resuming url: URL, dataset: PoseDataset, steps: Int? = nil) throws(HybridSignError) {
        try self.init(resuming: try Checkpoint.load(from: url), from: url.path, dataset: dataset, steps: steps)
    }

    /// Continues the run of a loaded `checkpoint` (read from `source`, for messages).
    public convenience init(resuming checkpoint: Checkpoint, from source: String, dataset: PoseDataset,
                            steps: Int? = nil) throws(HybridSignError) {
        guard var options = checkpoint.training else {
            throw HybridSignError.invalidCheckpoint("\(source) holds no training state to resume (it was saved without optimiser state)")
        }
        if let steps { options.steps = steps }
        try self.init(model: checkpoint.model, dataset: dataset, options: options)
        do {
            try optimizer.load(state: checkpoint.optimizerState)
            try ema.load(state: checkpoint.emaState)
        } catch {
            throw HybridSignError.invalidCheckpoint("\(source): \(error)")
        }
        step = checkpoint.step
    }

    /// The learning rate of step `step` (warm-up, then cosine to 10% of the peak).
    func learningRate(at step: Int) -> Float {
        WarmupCosineSchedule(peak: options.learningRate, minimum: options.learningRate * 0.1,
                             warmupSteps: min(options.warmupSteps, max(options.steps / 10, 1)), totalSteps: options.steps)(step)
    }

    /// Tokens a batch puts through the network (see ``TrainingProgress/tokensPerSecond``).
    func tokens(frames: Int) -> Int {
        Int(Float(frames * model.config.tokensPerFrame) * (model.config.mode == .hybrid ? 1 + model.config.flowFraction : 1))
    }

    /// The time per op of the last step run with `profiled: true` (``Graph/profileReport()``).
    public private(set) var lastProfile: String?

    /// One optimiser step on the next batch; returns its losses and the number of real frames.
    /// `profiled` records the time per op in ``lastProfile`` (slower: use for diagnosis only).
    /// Throws ``HybridSignError/diverged(_:)`` (and leaves the weights as they were) when the loss
    /// or a gradient is NaN or infinite.
    @discardableResult
    public func trainStep(profiled: Bool = false) throws(HybridSignError) -> (loss: LossBreakdown, frames: Int) {
        let batch = data.batch(step: step)
        let graph = Graph()
        graph.matmulPrecision = matmulPrecision
        graph.isProfiling = profiled
        // Checking every op's output for NaN costs a pass over ~10 GB per `paper` step: check the
        // loss and the gradient norm instead, and find the op only once something went wrong.
        graph.checksFinite = false
        let (loss, parts) = lossOfStep(batch, graph: graph)
        do { try graph.backward(loss) } catch {
            throw HybridSignError.diverged("step \(step): \(error)")
        }
        if profiled { lastProfile = graph.profileReport() }
        let parameters = model.network.parameters
        let norm = clipGradientNorm(parameters, maxNorm: options.clipNorm)
        guard parts.total.isFinite, norm.isFinite else {
            model.network.zeroGrad()
            throw HybridSignError.diverged("step \(step): \(diagnoseNonFinite(batch))")
        }
        optimizer.learningRate = learningRate(at: step)
        optimizer.step()
        model.network.zeroGrad()
        // Warm-up of the average (as in common EMA implementations): short runs are not dominated
        // by the initial weights.
        ema.decay = min(options.emaDecay, Float(step + 1) / Float(step + 10))
        ema.update()
        step += 1
        return (parts, batch.lengths.reduce(0, +))
    }

    /// The loss of this step's batch; the noise comes from the step's own seed, so a rerun of the
    /// step (``diagnoseNonFinite(_:)``) sees the same numbers.
    private func lossOfStep(_ batch: ModelBatch, graph: Graph) -> (Var, LossBreakdown) {
        var rng = RandomGenerator(seed: options.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(step + 1))
        return Objective.loss(model: model, batch: batch, rng: &rng, graph: graph, shards: shards)
    }

    /// Reruns the step with every op's value, tangent and gradient checked, and names the first
    /// op that produced a NaN or an infinity.
    private func diagnoseNonFinite(_ batch: ModelBatch) -> String {
        let graph = Graph()
        graph.matmulPrecision = matmulPrecision
        let (loss, _) = lossOfStep(batch, graph: graph)
        defer { model.network.zeroGrad() }
        do { try graph.backward(loss) } catch { return "\(error)" }
        return "the gradient norm is not finite (NaN or Inf); lower the learning rate"
    }

    /// Trains until `options.steps`, `deadline`, or `shouldStop()` returns true, calling
    /// `afterStep` with the progress after each step. ``TrainingRun`` adds budgets, evaluation,
    /// checkpoints and the history on top.
    public func run(deadline: Date? = nil, shouldStop: () -> Bool = { false },
                    afterStep: (TrainingProgress) throws -> Void = { _ in }) throws {
        let start = Date()
        let firstStep = step
        var tokenCount = 0
        while step < options.steps && !shouldStop() {
            if let deadline, Date() >= deadline { break }
            let (loss, frames) = try trainStep()
            tokenCount += tokens(frames: frames)
            let elapsed = Date().timeIntervalSince(start)
            let perStep = elapsed / Double(step - firstStep)
            var left = perStep * Double(options.steps - step)
            if let deadline { left = min(left, max(0, deadline.timeIntervalSinceNow)) }
            try afterStep(TrainingProgress(step: step, totalSteps: options.steps, loss: loss, learningRate: optimizer.learningRate,
                                           tokensPerSecond: Double(tokenCount) / max(elapsed, 1e-9), secondsLeft: left))
        }
    }

    /// Saves weights, EMA, optimiser state, options, step and `history` atomically.
    public func save(to url: URL, history: TrainingHistory = TrainingHistory()) throws(HybridSignError) {
        try Checkpoint.save(model: model, step: step, training: options, ema: ema.state(), optimizer: optimizer.state(),
                            history: history, to: url)
    }

    /// Runs `body` with the EMA weights in the model (e.g. to evaluate), then restores them.
    public func withAveragedWeights<R>(_ body: (HybridSignModel) throws -> R) rethrows -> R {
        let saved = ema.apply()
        defer { ema.restore(saved) }
        return try body(model)
    }

    /// Sets the total steps (e.g. once a time budget's step rate is known); at least one more step.
    public func setTotalSteps(_ steps: Int) {
        options.steps = max(steps, step + 1)
    }

    /// Goes on with the weights, optimiser state, averaged weights and step as they are, on
    /// `dataset` with `options` (batch, learning rate, seed, total steps): the data order and the
    /// noise of a step depend only on the seed and the step, so going on with the same data and
    /// options is exactly the run continued.
    public func continueTraining(on dataset: PoseDataset, options newOptions: TrainingOptions) throws(HybridSignError) {
        try Self.validate(newOptions)
        data = try TrainingData(dataset, model: model, batchSize: newOptions.batchSize, seed: newOptions.seed)
        options = newOptions
        optimizer.weightDecay = newOptions.weightDecay
    }

    private static func validate(_ options: TrainingOptions) throws(HybridSignError) {
        try options.validate()
    }
}
