import Foundation
import HybridSign
import Platform
import PoseData
import Tensors

/// `train MODEL on DATASET steps: N | minutes: M …`: trains a model in place, with a progress
/// line, optional evaluation on development data, and a checkpoint file. Each call continues the
/// model's ``HybridSign/TrainingRun`` (as `hybridsign train --resume` continues a checkpoint), so
/// the same options give the command line's weights, and its checkpoints resume there.
struct TrainVerb: Verb {
    let signature = VerbSignature(
        name: "train",
        summary: "train a model on a dataset for a number of steps or minutes (Ctrl-C stops and keeps what it learnt)",
        positional: [Parameter("model", .object("model"), "the model to train (changed in place)")],
        connectors: [Connector("on", Parameter("data", .dataset, "the training data"))],
        named: [Parameter("steps", .number, "optimiser steps, more of the model's run (its schedule ends after them)"),
                Parameter("minutes", .number, "train for this long instead of a step count"),
                Parameter("batch", .number, "sequences per batch", default: .number(8)),
                Parameter("lr", .number, "peak learning rate (warm-up, then cosine to a tenth)", default: .number(1e-3)),
                Parameter("seed", .number, "seed of the data order and noise (default: the run's; at first the model's seed)"),
                Parameter("precision", .string, "the linear layers' products: fp32, or bf16 (bfloat16 operands, float32 sums: mixed precision, fast with AVX-512 BF16)",
                          default: .string("fp32"), choices: MatmulPrecision.allCases.map(\.rawValue)),
                Parameter("eval", .dataset, "development data evaluated (averaged weights) every `every` steps and at the end (DTW-MJE)"),
                Parameter("every", .number, "evaluate (eval:) and write the checkpoint every N steps (0: only at the end)", default: .number(0)),
                Parameter("checkpoint", .string, "a .safetensors file (resumable: hybridsign train --resume) written every `every` steps, at the end and on Ctrl-C",
                          placeholder: "PATH")],
        returns: "none; the model is trained in place (m.step, m.history gain a row per step)",
        examples: ["train m on dev steps: 200 batch: 8", "train m on training minutes: 5 eval: dev every: 100",
                   "train m on dev steps: 50 lr: 3e-4 checkpoint: \"runs/m.safetensors\"", "train m on dev steps: 200 precision: bf16"])

    /// Called after every step with the model's step (tests use it to press Ctrl-C at a known step).
    var afterStep: (@Sendable (Int) -> Void)?

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let value = try arguments.model("model")
        let data = try arguments.dataset("data")
        let plan = try Self.plan(arguments)
        let options = try Self.options(arguments, model: value)
        let run: TrainingRun
        do {
            run = try value.trainingRun(on: data, options: options)
            if let development = plan.evaluation { try checkLayout(development, model: run.trainer.model) }
        } catch {
            throw notebookError(error, arguments, at: "data")
        }
        run.trainer.matmulPrecision = MatmulPrecision(rawValue: try arguments.string("precision"))!
        if run.trainer.matmulPrecision == .bf16 { context.output.print(MatmulPrecision.bfloat16Route().note) }
        value.trainedOn.append("\(data.count) samples of \(data.layout.name)"
                               + (arguments.has("steps") ? " for \(NumberText.format(try arguments.number("steps"))) steps" : ""))
        // A session goes on after training: hand the run's peak heap back to the system.
        defer { Memory.releaseFreedBuffers() }
        let report = TrainingReport(value: value, arguments: arguments, context: context, plan: plan, afterStep: afterStep)
        let outcome: TrainingOutcome
        do {
            outcome = try run.train(plan, shouldStop: { context.interrupt.isSet }, report: report.handle)
        } catch let error as HybridSignError {
            report.progress.finish("failed at step \(value.step)")
            if case .io = error, arguments.has("checkpoint") { throw notebookError(error, arguments, at: "checkpoint") }
            throw notebookError(error, arguments)
        }
        if outcome == .stopped {
            report.progress.finish("stopped by Ctrl-C at step \(value.step)  \(report.lossText)")
            let kept = plan.checkpoint.map { _ in " and saved it to \(arguments["checkpoint"].plainText)" } ?? ""
            context.output.print("kept the model as trained so far (\(report.stepsThisRun) steps this run, step \(value.step) in all)\(kept)")
            throw NotebookError.interrupted(at: arguments.callRange)
        }
        if let checkpoint = plan.checkpoint {
            context.attach(FileResult(path: arguments["checkpoint"].plainText, kind: .data,
                                      caption: "checkpoint \(checkpoint.lastPathComponent) (step \(value.step))"))
        }
        return .none
    }

    /// The budget (`steps:` or `minutes:`), checkpoint and evaluation the call asks for.
    private static func plan(_ arguments: Arguments) throws(NotebookError) -> TrainingPlan {
        guard arguments.has("steps") != arguments.has("minutes") else {
            throw NotebookError("train needs a budget: either steps: N or minutes: M" + (arguments.has("steps") ? ", not both" : ""),
                                at: arguments.has("minutes") ? arguments.range(of: "minutes") : arguments.callRange,
                                hint: "for example: train m on dev steps: 200")
        }
        let budget: TrainingBudget = arguments.has("steps") ? .steps(try arguments.integer("steps", in: 1...100_000_000))
            : .minutes(try arguments.positiveNumber("minutes"))
        let every = try arguments.integer("every", in: 0...100_000_000)
        let checkpoint = arguments.has("checkpoint") ? try safetensorsOutputURL(
            arguments, name: "checkpoint", what: "a checkpoint is a .safetensors file", example: "checkpoint: \"runs/m.safetensors\"") : nil
        return TrainingPlan(budget: budget, checkpoint: checkpoint, checkpointEvery: every,
                            evaluation: arguments.has("eval") ? try arguments.dataset("eval") : nil, evaluateEvery: every)
    }

    /// Batch, learning rate and seed; the seed defaults to the run's (the model's seed at first).
    private static func options(_ arguments: Arguments, model value: ModelValue) throws(NotebookError) -> TrainingOptions {
        var options = TrainingOptions()
        options.batchSize = try arguments.integer("batch", in: 1...TrainingOptions.Ceilings.batchSize)
        options.learningRate = Float(try arguments.positiveNumber("lr"))
        options.seed = arguments.has("seed") ? try arguments.seed("seed") : value.trainingSeed
        options.steps = TrainingRun.provisionalSteps   // the budget sets the run's length
        return options
    }

    private func checkLayout(_ development: PoseDataset, model: HybridSignModel) throws(HybridSignError) {
        guard development.layout.jointCount == model.config.layout.jointCount, development.layout.parts == model.config.layout.parts else {
            throw HybridSignError.invalidData("the eval: data follows layout '\(development.layout.name)'; the model was built for '\(model.config.layout.name)'")
        }
    }
}

/// What a `train` call shows as it goes: the progress line, the development scores (labelled by
/// the variable given as `eval:`), and the note about samples the model cannot read, once.
private final class TrainingReport {
    let progress: ProgressReporter
    private let value: ModelValue
    private let context: VerbContext
    private let showsTimeLeft: Bool
    private let evaluationLabel: String
    private let firstStep: Int
    private let afterStep: (@Sendable (Int) -> Void)?
    private var tokensPerSecond = 0.0
    private var reportedSkipped = false

    init(value: ModelValue, arguments: Arguments, context: VerbContext, plan: TrainingPlan, afterStep: (@Sendable (Int) -> Void)?) {
        if case .steps(let steps) = plan.budget {
            progress = context.progress("train", total: steps)
            showsTimeLeft = false
        } else {
            progress = context.progress("train", total: nil)
            showsTimeLeft = true
        }
        self.value = value
        self.context = context
        evaluationLabel = arguments.variableName(of: "eval") ?? "eval"
        firstStep = value.step
        self.afterStep = afterStep
    }

    var stepsThisRun: Int { value.step - firstStep }

    var lossText: String {
        (value.lastLoss.map { "loss \(formatNumber($0, significantDigits: 4))  " } ?? "") + "\(Int(tokensPerSecond.rounded())) tok/s"
    }

    func handle(_ event: TrainingEvent) {
        switch event {
        case .step(let p):
            tokensPerSecond = p.tokensPerSecond
            var detail = "loss \(formatNumber(Double(p.loss.total), significantDigits: 4))  \(Int(p.tokensPerSecond.rounded())) tok/s"
            if showsTimeLeft { detail += "  \(NumberText.duration(p.secondsLeft)) left" }
            progress.update(stepsThisRun, detail)
            afterStep?(value.step)
        case .evaluated(_, let result):
            if !reportedSkipped, let note = result.skippedNote {
                context.output.print(note)
                reportedSkipped = true
            }
            context.output.print("step \(value.step) \(evaluationLabel): \(result.summary)")
        case .checkpointed:
            break
        }
    }
}
