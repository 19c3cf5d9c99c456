import Foundation
import PoseData

/// How much a call of ``TrainingRun/train(_:shouldStop:report:)`` trains.
public enum TrainingBudget: Sendable, Equatable {
    /// This many more optimiser steps; the schedule (warm-up, cosine) ends after them.
    case steps(Int)
    /// This long, in minutes. The schedule's length is fixed once the step rate is known, after
    /// ``TrainingRun/calibrationSteps`` steps.
    case minutes(Double)
}

/// What a call of ``TrainingRun/train(_:shouldStop:report:)`` does besides training.
public struct TrainingPlan: Sendable {
    public var budget: TrainingBudget
    /// The checkpoint written every `checkpointEvery` steps (0: never in between), at the end,
    /// and when the run is stopped; nil writes none.
    public var checkpoint: URL?
    public var checkpointEvery: Int
    /// Development data evaluated (with the averaged weights) every `evaluateEvery` steps
    /// (0: never in between) and at the end; nil evaluates nothing.
    public var evaluation: PoseDataset?
    public var evaluateEvery: Int
    /// At most this many development samples.
    public var evaluationLimit: Int?

    public init(budget: TrainingBudget, checkpoint: URL? = nil, checkpointEvery: Int = 0, evaluation: PoseDataset? = nil,
                evaluateEvery: Int = 0, evaluationLimit: Int? = nil) {
        self.budget = budget
        self.checkpoint = checkpoint
        self.checkpointEvery = checkpointEvery
        self.evaluation = evaluation
        self.evaluateEvery = evaluateEvery
        self.evaluationLimit = evaluationLimit
    }
}

/// What a training call reports as it goes.
public enum TrainingEvent {
    /// A step was taken.
    case step(TrainingProgress)
    /// The development data was evaluated after `step`.
    case evaluated(step: Int, EvaluationRunner.Result)
    /// The checkpoint was written at `step`.
    case checkpointed(step: Int, URL)
}

/// How a training call ended.
public enum TrainingOutcome: Sendable, Equatable {
    /// The budget was used up.
    case finished
    /// `shouldStop` (Ctrl-C, SIGTERM) stopped it; the checkpoint, if any, holds the step reached.
    case stopped
}

/// A training run that goes on across calls: the ``Trainer`` (weights, AdamW and EMA state, step)
/// with the loss history, the time budget, evaluation on development data and checkpoints.
/// `hybridsign train` and the notebook's `train` verb both drive training through it, so the same
/// options give the same weights, bit for bit, and a checkpoint either writes resumes in the other.
public final class TrainingRun {
    /// Steps timed before a time budget fixes the schedule's length.
    public static let calibrationSteps = 5
    /// The schedule's provisional length while a time budget is calibrating (only the warm-up of
    /// it is reached in that time, which does not depend on the length).
    public static let provisionalSteps = 1_000_000

    public let trainer: Trainer
    public private(set) var history: TrainingHistory

    /// A run of `trainer`, whose earlier steps are `history`.
    public init(trainer: Trainer, history: TrainingHistory = TrainingHistory()) {
        self.trainer = trainer
        self.history = history
    }

    /// Continues the run saved in `url` (weights, EMA, optimiser state, step, history) on `dataset`;
    /// `steps` may change the run's total.
    public convenience init(resuming url: URL, dataset: PoseDataset, steps: Int? = nil) throws(HybridSignError) {
        let checkpoint = try Checkpoint.load(from: url)
        self.init(trainer: try Trainer(resuming: checkpoint, from: url.path, dataset: dataset, steps: steps),
                  history: checkpoint.history)
    }

    /// Trains within `plan`'s budget, evaluating and writing checkpoints as it says, until the
    /// budget is used up or `shouldStop` returns true (checked before every step and every
    /// evaluated sample). Errors (a diverged step, a checkpoint that cannot be written) end the call.
    public func train(_ plan: TrainingPlan, shouldStop: () -> Bool = { false },
                      report: (TrainingEvent) -> Void = { _ in }) throws -> TrainingOutcome {
        let firstStep = trainer.step
        let started = Date()
        var deadline: Date?
        var calibrated = true
        switch plan.budget {
        case .steps(let steps):
            guard steps > 0 else { return try finish(plan, evaluated: false, shouldStop: shouldStop, report: report) }
            trainer.setTotalSteps(firstStep + steps)
        case .minutes(let minutes):
            trainer.setTotalSteps(firstStep + Self.provisionalSteps)
            deadline = started.addingTimeInterval(minutes * 60)
            calibrated = false
        }
        var lastEvaluated = -1
        do {
            try trainer.run(deadline: deadline, shouldStop: shouldStop) { progress in
                history.append(TrainingHistory.Record(step: progress.step, loss: progress.loss, learningRate: progress.learningRate))
                if !calibrated, let deadline, progress.step - firstStep >= Self.calibrationSteps {
                    fixScheduleLength(stepsDone: progress.step - firstStep, started: started, deadline: deadline)
                    calibrated = true
                }
                report(.step(progress))
                let step = progress.step
                if let checkpoint = plan.checkpoint, plan.checkpointEvery > 0, step % plan.checkpointEvery == 0 {
                    try save(to: checkpoint)
                    report(.checkpointed(step: step, checkpoint))
                }
                if let evaluation = plan.evaluation, plan.evaluateEvery > 0, step % plan.evaluateEvery == 0 {
                    try evaluate(evaluation, limit: plan.evaluationLimit, shouldStop: shouldStop, report: report)
                    lastEvaluated = step
                }
            }
        } catch is CancellationError {
            return try stop(plan, report: report)
        }
        if shouldStop() { return try stop(plan, report: report) }
        return try finish(plan, evaluated: lastEvaluated == trainer.step, shouldStop: shouldStop, report: report)
    }

    /// Saves the run (weights, EMA, optimiser state, options, step and history) atomically.
    public func save(to url: URL) throws(HybridSignError) {
        try trainer.save(to: url, history: history)
    }

    /// With the step rate measured, sets the total steps so the schedule ends at the deadline.
    private func fixScheduleLength(stepsDone: Int, started: Date, deadline: Date) {
        let perStep = Date().timeIntervalSince(started) / Double(stepsDone)
        trainer.setTotalSteps(trainer.step + Int(deadline.timeIntervalSinceNow / perStep))
    }

    /// The end of a budget: the last evaluation (unless the last step was just evaluated), then the checkpoint.
    private func finish(_ plan: TrainingPlan, evaluated: Bool, shouldStop: () -> Bool,
                        report: (TrainingEvent) -> Void) throws -> TrainingOutcome {
        if let evaluation = plan.evaluation, !evaluated {
            do {
                try evaluate(evaluation, limit: plan.evaluationLimit, shouldStop: shouldStop, report: report)
            } catch is CancellationError {
                return try stop(plan, report: report)
            }
        }
        if let checkpoint = plan.checkpoint {
            try save(to: checkpoint)
            report(.checkpointed(step: trainer.step, checkpoint))
        }
        return .finished
    }

    /// A stopped run keeps what it learnt: the checkpoint holds the step reached.
    private func stop(_ plan: TrainingPlan, report: (TrainingEvent) -> Void) throws -> TrainingOutcome {
        if let checkpoint = plan.checkpoint {
            try save(to: checkpoint)
            report(.checkpointed(step: trainer.step, checkpoint))
        }
        return .stopped
    }

    /// Samples the development data with the averaged (EMA) weights, the model's recommended
    /// sampling settings, seed 0 and no signer, and records its DTW-MJE in the history. Samples whose text the model cannot read are skipped
    /// (the result lists them).
    private func evaluate(_ dataset: PoseDataset, limit: Int?, shouldStop: () -> Bool,
                          report: (TrainingEvent) -> Void) throws {
        let result = try trainer.withAveragedWeights { model in
            try EvaluationRunner(model: model, options: model.samplingDefaults.options(seed: 0))
                .run(on: dataset, limit: limit, skippingUnknownText: true, shouldStop: shouldStop)
        }
        if let score = result.metrics?.dtwMJE { history.recordDevelopmentScore(score) }
        report(.evaluated(step: trainer.step, result))
    }
}
