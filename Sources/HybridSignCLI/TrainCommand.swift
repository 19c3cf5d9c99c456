import ArgumentParser
import Foundation
import HybridSign
import Tensors
import Platform
import PoseData
import TextEncoders

/// `hybridsign train --data TRAIN.pkl --out MODEL.safetensors`: trains (or resumes) a model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a HybridSign model (hybrid, or the ar / diffusion baselines).",
        discussion: "Ctrl-C or SIGTERM saves the checkpoint and stops; --resume continues a saved run exactly.")

    @Option(help: "Training data (.pkl, .json, .pose, a directory of .pose, or a sharded dataset directory, read batch by batch).") var data: String
    @Option(help: "Development data, evaluated every --eval-every steps.") var dev: String?
    @Option(help: "Model preset.") var preset: ModelPreset = .small
    @Option(help: "Objective: the hybrid method, or the ar / diffusion baselines.") var mode: ModelMode = .hybrid
    @Option(help: "One token per part of a frame, or per joint (default: the preset's).") var tokens: TokenKind?
    @Option(help: "Model width (default: the preset's).") var dim: Int?
    @Option(help: "Blocks per expert (default: the preset's).") var depth: Int?
    @Option(help: "What the text encoder reads.") var text: TextConditioning = .characters
    @Option(help: "A pretrained text encoder's folder (Hugging Face: config.json, tokenizer.json, model.safetensors; T5 or BERT family): the model reads its last hidden states of each text (sets --text sentence).") var textEncoder: String?
    @Flag(inversion: .prefixedNo, help: "One expert stack per part (--no-experts: one stack the parts share).") var experts = true
    @Flag(inversion: .prefixedNo, help: "Confidence bias in the temporal attention (--no-confidence: none).") var confidence = true
    @Flag(inversion: .prefixedNo, help: "Fusion across the parts of a frame (--no-fusion: none).") var fusion = true
    @Option(help: "Longest training crop in frames.") var maxFrames: Int = 200
    @Option(help: "Weight of the flow loss (hybrid; default: the preset's).") var flowWeight: Float?
    @Option(help: "Share of frames the flow trains on per step (hybrid; default: the preset's).") var flowFraction: Float?
    @Option(help: "Source noise σ of the flow in normalised units (hybrid; default: the preset's).") var sigma: Float?
    @Option(help: "Where the flow starts: the AR estimate + σ·noise (the method), or σ·noise alone (hybrid).") var flowSource: FlowSource = .estimate
    @Option(help: "Whether the flow runs through the AR stream's expert stacks and fusion (shared, the method) or its own (separate; hybrid).") var flowBackbone: FlowBackbone = .shared
    @Option(help: "Std of the noise on the clean stream's input frames in training (hybrid, ar; normalised units).") var historyNoise: Float = 0
    @Option(help: "Adaptive loss weighting power p of the flow (hybrid, diffusion).") var adaptivePower: Float = 1
    @Flag(inversion: .prefixedNo, help: "Stop the flow's gradient at the clean stream's keys/values (hybrid; default: the preset's).") var detachHistory: Bool?
    @Flag(help: "Learn an embedding of the data's signer field, so sampling can take --signer CODE (or none).")
    var signerConditioning = false
    @Option(help: "Probability that a training sample's signer is hidden, so the model also learns to sign without one (with --signer-conditioning).")
    var signerDropout: Float = 0.5
    @Option(help: "Flow steps per frame the model recommends for sampling (stored in the checkpoint; sample/eval use it unless given --steps).")
    var defaultSteps: Int?
    @Option(help: "Noise temperature the model recommends for sampling (stored in the checkpoint; sample/eval use it unless given --temperature).")
    var defaultTemperature: Float?
    @Option(help: "Optimiser steps.") var steps: Int?
    @Option(help: "Train for this many minutes instead of a step count.") var minutes: Double?
    @Option(help: "Sequences per batch.") var batch: Int = 8
    @Option(help: "Peak learning rate.") var lr: Float = 1e-3
    @Option(help: "Seed of weights, data order and noise.") var seed: UInt64 = 0
    @Option(help: "Precision of the linear layers' products: fp32, or bf16 (bfloat16 operands, float32 sums: mixed precision; fast with AVX-512 BF16).")
    var precision: MatmulPrecision = .fp32
    @Option(help: "Evaluate on --dev every N steps (0: only at the end).") var evalEvery: Int = 0
    @Option(help: "Samples of --dev to evaluate.") var evalLimit: Int?
    @Option(help: "Write the checkpoint every N steps.") var checkpointEvery: Int = 200
    @Option(help: "Print progress every N steps.") var logEvery: Int = 10
    @Option(help: "The checkpoint to write (.safetensors).") var out: String
    @Flag(help: "Continue the run saved in --out.") var resume = false

    func validate() throws {
        guard steps != nil || minutes != nil || resume else { throw ValidationError("give --steps N or --minutes M") }
        if textEncoder != nil && text != .characters && text != .sentence {
            throw ValidationError("--text-encoder conditions on the encoder's hidden states (text: sentence); leave out --text \(text.rawValue)")
        }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let minutes, !(minutes > 0) { throw ValidationError("--minutes must be positive") }
    }

    func makeConfig() throws -> ModelConfig {
        var config = try preset.config()
        config.mode = mode
        if let tokens { config.tokens = tokens }
        config.text = text
        if let dim { config.dim = dim }
        if let depth { config.depth = depth }
        config.experts = experts
        config.confidence = confidence
        config.fusion = fusion
        config.maxFrames = maxFrames
        if let flowWeight { config.flowWeight = flowWeight }
        if let flowFraction { config.flowFraction = flowFraction }
        config.adaptivePower = adaptivePower
        config.historyNoise = historyNoise
        if let sigma { config.sigma = sigma }
        config.flowSource = flowSource
        config.flowBackbone = flowBackbone
        if let detachHistory { config.detachHistory = detachHistory }
        config.signerConditioning = signerConditioning
        config.signerDropout = signerDropout
        return config
    }

    /// The model's recommended sampling settings with the ones given on the command line.
    func samplingDefaults(_ current: SamplingDefaults, mode: ModelMode) throws -> SamplingDefaults {
        var defaults = current
        if let defaultSteps { defaults.steps = defaultSteps }
        if let defaultTemperature { defaults.temperature = defaultTemperature }
        try defaults.validate(for: mode)
        return defaults
    }

    func run() throws {
        do {
            let dataset = try CommandSupport.loadDataset(data)
            let devSet = try dev.map(CommandSupport.loadDataset)
            let url = URL(fileURLWithPath: out)
            let run = try makeRun(dataset: dataset, checkpoint: url)
            let model = run.trainer.model
            run.trainer.matmulPrecision = precision
            if precision == .bf16 { say(MatmulPrecision.bfloat16Route().note) }
            model.samplingDefaults = try samplingDefaults(model.samplingDefaults, mode: model.config.mode)
            InterruptHandling.install()
            let interrupt = InterruptFlag.process
            let outcome = try run.train(plan(for: run, development: devSet, checkpoint: url), shouldStop: { interrupt.isSet }) { event in
                switch event {
                case .step(let p):
                    if p.step % logEvery == 0 || p.step == run.trainer.options.steps { say(p.line) }
                case .evaluated(let step, let result):
                    say("step \(step) dev: \(result.summary)")
                    if let note = result.skippedNote { say(note) }
                case .checkpointed:
                    break
                }
            }
            switch outcome {
            case .stopped: say("interrupted: saved step \(run.trainer.step) to \(out) (continue with --resume)")
            case .finished: say("saved step \(run.trainer.step) to \(out)")
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandSupport.fail("train", error)
        }
    }

    /// The run saved in `checkpoint` (`--resume`, when the file exists), or a new one.
    private func makeRun(dataset: PoseDataset, checkpoint url: URL) throws -> TrainingRun {
        if resume && FileManager.default.fileExists(atPath: url.path) {
            let run = try TrainingRun(resuming: url, dataset: dataset, steps: steps)
            say("resuming \(out) at step \(run.trainer.step) of \(run.trainer.options.steps)")
            return run
        }
        var options = TrainingOptions()
        options.steps = steps ?? TrainingRun.provisionalSteps
        options.batchSize = batch
        options.learningRate = lr
        options.seed = seed
        let encoder = try textEncoder.map { path throws(TextEncoderError) in try PretrainedTextEncoder.shared(folder: URL(fileURLWithPath: path)) }
        if let encoder { say("text encoder \(encoder.name) (\(encoder.family.rawValue), width \(encoder.width), weights hash \(encoder.weightsHash))") }
        let trainer = try Trainer(config: try makeConfig(), dataset: dataset, options: options, textEncoder: encoder)
        let c = trainer.model.config
        let signers = c.signerConditioning ? ", \(trainer.model.signers.count) signers" : ""
        say("training \(c.mode.rawValue) (\(preset.rawValue): D=\(c.dim), depth \(c.depth), \(c.tokens.rawValue) tokens\(signers), \(trainer.model.network.parameterCount) parameters) on \(dataset.count) samples")
        return TrainingRun(trainer: trainer)
    }

    /// `--steps` is the run's total, so a resumed run trains the steps it still has to go.
    private func plan(for run: TrainingRun, development: PoseDataset?, checkpoint: URL) -> TrainingPlan {
        let budget: TrainingBudget = minutes.map { .minutes($0) } ?? .steps(max(0, run.trainer.options.steps - run.trainer.step))
        return TrainingPlan(budget: budget, checkpoint: checkpoint, checkpointEvery: checkpointEvery, evaluation: development,
                            evaluateEvery: evalEvery, evaluationLimit: evalLimit)
    }
}

/// Writes a line to standard output unbuffered, so progress shows up at once in log files too.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
