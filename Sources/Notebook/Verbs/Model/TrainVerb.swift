import Foundation
import HybridSign
import Platform
import PoseData
import Tensors

/// `train MODEL on DATASET steps: N | minutes: M …`: trains a model in place, with a progress
/// line, optional evaluation on development data, and a checkpoint file.
struct TrainVerb: Verb {
    let signature = VerbSignature(
        name: "train",
        summary: "train a model on a dataset for a number of steps or minutes (Ctrl-C stops and keeps what it learnt)",
        positional: [Parameter("model", .object("model"), "the model to train (changed in place)")],
        connectors: [Connector("on", Parameter("data", .dataset, "the training data"))],
        named: [Parameter("steps", .number, "optimiser steps (this run)"),
                Parameter("minutes", .number, "train for this long instead of a step count"),
                Parameter("batch", .number, "sequences per batch", default: .number(8)),
                Parameter("lr", .number, "peak learning rate (warm-up, then cosine to a tenth)", default: .number(1e-3)),
                Parameter("seed", .number, "seed of the data order and noise (default: the model's seed + its steps so far)"),
                Parameter("eval", .dataset, "development data evaluated every `every` steps and at the end (DTW-MJE)"),
                Parameter("every", .number, "evaluate (eval:) and write the checkpoint every N steps (0: only at the end)", default: .number(0)),
                Parameter("checkpoint", .string, "a .safetensors file written every `every` steps, at the end and on Ctrl-C",
                          placeholder: "PATH")],
        returns: "none; the model is trained in place (m.step, m.history gain a row per step)",
        examples: ["train m on dev steps: 200 batch: 8", "train m on training minutes: 5 eval: dev every: 100",
                   "train m on dev steps: 50 lr: 3e-4 checkpoint: \"runs/m.safetensors\""])

    /// Called after every step with the model's step (tests use it to press Ctrl-C at a known step).
    var afterStep: (@Sendable (Int) -> Void)?

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let value = try arguments.model("model")
        let data = try arguments.dataset("data")
        guard arguments.has("steps") != arguments.has("minutes") else {
            throw NotebookError("train needs a budget: either steps: N or minutes: M" + (arguments.has("steps") ? ", not both" : ""),
                                at: arguments.has("minutes") ? arguments.range(of: "minutes") : arguments.callRange,
                                hint: "for example: train m on dev steps: 200")
        }
        let steps = arguments.has("steps") ? try arguments.integer("steps", in: 1...100_000_000) : nil
        let minutes = arguments.has("minutes") ? try arguments.positiveNumber("minutes") : nil
        var options = TrainingOptions()
        options.batchSize = try arguments.integer("batch", in: 1...4096)
        options.learningRate = Float(try arguments.positiveNumber("lr"))
        options.seed = arguments.has("seed") ? try arguments.seed("seed") : value.seed &+ UInt64(value.step)
        options.steps = steps ?? 100_000_000
        let every = try arguments.integer("every", in: 0...100_000_000)
        let development = arguments.has("eval") ? try arguments.dataset("eval") : nil
        let checkpoint = arguments.has("checkpoint") ? try safetensorsOutputURL(
            arguments, name: "checkpoint", what: "a checkpoint is a .safetensors file", example: "checkpoint: \"runs/m.safetensors\"") : nil

        let (model, trainer): (HybridSignModel, Trainer)
        do {
            (model, trainer) = try prepare(value, data: data, options: options, development: development)
        } catch {
            throw notebookError(error, arguments, at: "data")
        }
        value.trainedOn.append("\(data.count) samples of \(data.layout.name)" + (steps.map { " for \($0) steps" } ?? ""))

        let firstStep = value.step
        var tokensPerSecond = 0.0
        let deadline = minutes.map { Date().addingTimeInterval($0 * 60) }
        let progress = context.progress("train", total: steps)
        // A session goes on after training: hand the run's peak heap back to the system.
        defer { Memory.releaseFreedBuffers() }
        var budgetFixed = minutes == nil
        let started = Date()
        var reportedSkipped = false
        func evaluate() throws {
            guard let development else { return }
            let result = try EvaluationRunner(model: model, options: SamplingOptions(steps: 1, seed: 0))
                .run(on: development, skippingUnknownText: true, shouldStop: { context.interrupt.isSet })
            if !reportedSkipped, let note = EvalVerb.skippedNote(result) {
                context.output.print(note)
                reportedSkipped = true
            }
            if let dtw = result.metrics?.dtwMJE, !value.history.rows.isEmpty {
                value.history.rows[value.history.rows.count - 1][8] = .number(dtw)
            }
            context.output.print("step \(value.step) dev: \(result.summary)")
        }
        func save() throws {
            guard let checkpoint else { return }
            try Checkpoint.save(model: model, step: value.step, to: checkpoint)
        }
        do {
            try trainer.run(
                deadline: deadline, checkpointEvery: every, evaluateEvery: every,
                shouldStop: { context.interrupt.isSet },
                progress: { p in
                    value.step = firstStep + p.step
                    tokensPerSecond = p.tokensPerSecond
                    value.history.append(Self.historyRow(p, step: value.step))
                    if !budgetFixed, let minutes, p.step >= 3 {
                        // With a time budget, fix the schedule's length once the step rate is known.
                        let perStep = Date().timeIntervalSince(started) / Double(p.step)
                        trainer.setTotalSteps(p.step + Int((minutes * 60 - Date().timeIntervalSince(started)) / perStep))
                        budgetFixed = true
                    }
                    var detail = "loss \(formatNumber(Double(p.loss.total), significantDigits: 4))  \(Int(p.tokensPerSecond.rounded())) tok/s"
                    if steps == nil { detail += "  \(NumberText.duration(p.secondsLeft)) left" }
                    progress.update(p.step, detail)
                    afterStep?(value.step)
                },
                checkpoint: { _ in try save() },
                evaluate: { _ in try evaluate() })
        } catch let error as HybridSignError {
            progress.finish("failed at step \(value.step)")
            throw notebookError(error, arguments)
        } catch is CancellationError {
            // Ctrl-C during an evaluation: handled below like Ctrl-C between steps.
        }
        let trained = value.step - firstStep
        let loss = (value.lastLoss.map { "loss \(formatNumber($0, significantDigits: 4))  " } ?? "") + "\(Int(tokensPerSecond.rounded())) tok/s"
        if context.interrupt.isSet {
            progress.finish("stopped by Ctrl-C at step \(value.step)  \(loss)")
            try? save()
            let kept = checkpoint.map { _ in " and saved it to \(arguments["checkpoint"].plainText)" } ?? ""
            context.output.print("kept the model as trained so far (\(trained) steps this run, step \(value.step) in all)\(kept)")
            throw NotebookError.interrupted(at: arguments.callRange)
        }
        progress.finish(loss)
        if development != nil && (every == 0 || trainer.step % every != 0) {
            do { try evaluate() } catch is CancellationError { throw NotebookError.interrupted(at: arguments.callRange) }
        }
        do { try save() } catch let error as HybridSignError { throw notebookError(error, arguments, at: "checkpoint") }
        if let checkpoint { context.attach(FileResult(path: arguments["checkpoint"].plainText, kind: .data, caption: "checkpoint \(checkpoint.lastPathComponent) (step \(value.step))")) }
        return .none
    }

    static func historyRow(_ p: TrainingProgress, step: Int) -> [Value] {
        let l = p.loss
        return [.number(Double(step)), .number(Double(l.total)), .number(Double(l.ar)), .number(Double(l.flow)),
                .number(Double(l.flowError)), .number(Double(l.confidence)), .number(Double(l.progress)),
                .number(Double(p.learningRate)), .none]
    }

    /// Fits the model on first use and makes this run's trainer.
    private func prepare(_ value: ModelValue, data: PoseDataset, options: TrainingOptions,
                         development: PoseDataset?) throws(HybridSignError) -> (HybridSignModel, Trainer) {
        let model = try value.fit(data)
        let trainer = try Trainer(model: model, dataset: data, options: options)
        if let development { try checkLayout(development, model: model) }
        return (model, trainer)
    }

    private func checkLayout(_ development: PoseDataset, model: HybridSignModel) throws(HybridSignError) {
        guard development.layout.jointCount == model.config.layout.jointCount, development.layout.parts == model.config.layout.parts else {
            throw HybridSignError.invalidData("the eval: data follows layout '\(development.layout.name)'; the model was built for '\(model.config.layout.name)'")
        }
    }
}
