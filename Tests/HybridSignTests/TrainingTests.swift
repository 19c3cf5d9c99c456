import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

final class TrainingTests: XCTestCase {
    func options(steps: Int, batch: Int = 2, lr: Float = 3e-3, seed: UInt64 = 1) -> TrainingOptions {
        var o = TrainingOptions()
        o.steps = steps
        o.batchSize = batch
        o.learningRate = lr
        o.warmupSteps = 5
        o.seed = seed
        return o
    }

    /// A tiny hybrid model memorises one sequence: its AR error and flow error collapse, and a
    /// sample of the sequence's text lands close to it.
    func testTinyModelOverfitsOneSequence() throws {
        let sequence = syntheticSequence(text: "ab", frames: 8)
        let dataset = try PoseDataset(layout: tinyLayout, samples: [sequence])
        let trainer = try Trainer(config: tinyConfig(), dataset: dataset, options: options(steps: 300, batch: 1, lr: 5e-3))
        let first = try trainer.trainStep().loss
        try trainer.run()
        let last = try trainer.trainStep().loss
        XCTAssertLessThan(last.ar, first.ar * 0.05, "AR loss \(first.ar) → \(last.ar)")
        XCTAssertLessThan(last.flowError, first.flowError * 0.2, "flow error \(first.flowError) → \(last.flowError)")
        let sample = try Sampler(model: trainer.model).sample(text: "ab", options: SamplingOptions(steps: 1, frames: .fixed(8)))
        // Mean joint error in data units over joints visible in both (the data's spread is ~40 units).
        var error: Float = 0, count: Float = 0
        for f in 0..<8 {
            for k in 0..<6 where sequence.point(frame: f, joint: k).confidence > 0 && sample.point(frame: f, joint: k).confidence > 0 {
                let a = sequence.point(frame: f, joint: k), b = sample.point(frame: f, joint: k)
                error += ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 40, "joints visible in both")
        XCTAssertLessThan(error / count, 5, "mean joint error of the memorised sample (an untrained model is off by ~40)")
    }

    func testCheckpointRoundTripGivesIdenticalSamples() throws {
        let trainer = try Trainer(config: tinyConfig(), dataset: syntheticDataset(), options: options(steps: 5))
        try trainer.run()
        let url = temporaryURL("roundtrip.safetensors")
        try trainer.save(to: url)
        try trainer.save(to: url)   // replacing an existing checkpoint
        let loaded = try Checkpoint.load(from: url)
        XCTAssertEqual(loaded.step, 5)
        XCTAssertEqual(loaded.model.config, trainer.model.config)
        XCTAssertEqual(loaded.model.normalizer, trainer.model.normalizer)
        XCTAssertEqual(loaded.model.vocabulary, trainer.model.vocabulary)
        let options = SamplingOptions(steps: 2, seed: 9, frames: .fixed(6))
        let a = try Sampler(model: trainer.model).sample(text: "cab", options: options)
        let b = try Sampler(model: loaded.model).sample(text: "cab", options: options)
        XCTAssertEqual(a.values, b.values)
        // No temporary files are left next to the checkpoint.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    /// N steps straight equal N/2 steps, save, load, N/2 steps (weights bitwise equal).
    func checkResume(mode: ModelMode) throws {
        let dataset = syntheticDataset()
        let straight = try Trainer(config: tinyConfig(mode), dataset: dataset, options: options(steps: 6))
        try straight.run()
        let first = try Trainer(config: tinyConfig(mode), dataset: dataset, options: options(steps: 6))
        try first.run(shouldStop: { first.step >= 3 })
        XCTAssertEqual(first.step, 3)
        let url = temporaryURL("resume-\(mode).safetensors")
        try first.save(to: url)
        let resumed = try Trainer(resuming: url, dataset: dataset)
        XCTAssertEqual(resumed.step, 3)
        try resumed.run()
        XCTAssertEqual(resumed.step, 6)
        let a = straight.model.network.stateDict(), b = resumed.model.network.stateDict()
        for (name, value) in a { XCTAssertEqual(value.scalars, b[name]?.scalars, "\(mode): \(name)") }
        XCTAssertEqual(straight.ema.state(), resumed.ema.state())
    }

    func testResumeEqualsUninterruptedHybrid() throws { try checkResume(mode: .hybrid) }
    func testResumeEqualsUninterruptedDiffusion() throws { try checkResume(mode: .diffusion) }

    func testSameSeedSameWeights() throws {
        let a = try Trainer(config: tinyConfig(), dataset: syntheticDataset(), options: options(steps: 3))
        let b = try Trainer(config: tinyConfig(), dataset: syntheticDataset(), options: options(steps: 3))
        try a.run()
        try b.run()
        XCTAssertEqual(a.model.network.stateDict(), b.model.network.stateDict())
    }

    /// A step whose loss turns NaN throws `diverged` naming the op that made the first NaN, and
    /// leaves the weights and the step count as they were.
    func testNonFiniteStepIsReportedWithItsOpAndChangesNothing() throws {
        let trainer = try Trainer(config: tinyConfig(), dataset: syntheticDataset(), options: options(steps: 2))
        let named = trainer.model.network.namedParameters()
        let poisoned = try XCTUnwrap(named.first { $0.name.hasPrefix("mean_head.0.weight") }).parameter
        poisoned.assign(Tensor(repeating: .nan, shape: poisoned.shape))
        let before = named.filter { $0.parameter !== poisoned }.map(\.parameter.value)
        XCTAssertThrowsError(try trainer.trainStep()) { error in
            guard case HybridSignError.diverged(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("step 0") && message.contains("'linear'"), message)
        }
        XCTAssertEqual(trainer.step, 0)
        XCTAssertEqual(named.filter { $0.parameter !== poisoned }.map(\.parameter.value), before)
        XCTAssertTrue(named.allSatisfy { $0.parameter.grad == nil }, "gradients are cleared")
    }

    /// A profiled step names the ops it timed (forward and backward) and changes nothing else:
    /// the weights equal those of an unprofiled run.
    func testProfiledStepReportsOpsAndTrainsTheSame() throws {
        let plain = try Trainer(config: tinyConfig(), dataset: syntheticDataset(), options: options(steps: 2))
        let profiled = try Trainer(config: tinyConfig(), dataset: syntheticDataset(), options: options(steps: 2))
        try plain.trainStep()
        try profiled.trainStep(profiled: true)
        let report = try XCTUnwrap(profiled.lastProfile)
        XCTAssertTrue(report.contains("linear"), report)
        XCTAssertTrue(report.contains("backward"), report)
        XCTAssertNil(plain.lastProfile)
        XCTAssertEqual(plain.model.network.stateDict(), profiled.model.network.stateDict())
    }

    /// Each objective's loss goes down on the real word data (a slice of it, briefly).
    func testObjectivesDecreaseOnRealData() throws {
        let full = try PickleDataset.load(contentsOf: bundledWords("dev"))
        let dataset = try PoseDataset(layout: full.layout, samples: Array(full.samples.prefix(8)).map { try $0.cropped(to: 0..<min(24, $0.frameCount)) })
        for mode in ModelMode.allCases {
            var config = ModelConfig()
            config.dim = 32
            config.heads = 2
            config.depth = 1
            config.mlp = 32
            config.mode = mode
            let trainer = try Trainer(config: config, dataset: dataset, options: options(steps: 40, batch: 4, lr: 3e-3))
            var losses: [Float] = []
            try trainer.run(afterStep: { p in
                losses.append(mode == .diffusion ? p.loss.flowError : p.loss.ar + (mode == .hybrid ? p.loss.flowError : 0))
            })
            let early = losses.prefix(4).reduce(0, +) / 4, late = losses.suffix(4).reduce(0, +) / 4
            XCTAssertLessThan(late, early * 0.8, "\(mode): loss \(early) → \(late)")
        }
    }
}

/// `TrainingRun`: budgets, continuing across calls, checkpoints with the history, evaluation.
final class TrainingRunTests: XCTestCase {
    private func options(seed: UInt64 = 2) -> TrainingOptions {
        var options = TrainingOptions()
        options.steps = TrainingRun.provisionalSteps
        options.batchSize = 2
        options.learningRate = 3e-3
        options.seed = seed
        return options
    }

    /// Two calls of 3 and 2 steps equal 3 steps saved and resumed to a total of 5, bit for bit
    /// (weights, averaged weights, optimiser state), and the history has a record per step.
    func testCallsContinueTheRunLikeAResumedCheckpoint() throws {
        let dataset = syntheticDataset()
        let continued = TrainingRun(trainer: try Trainer(config: tinyConfig(), dataset: dataset, options: options()))
        XCTAssertEqual(try continued.train(TrainingPlan(budget: .steps(3))), .finished)
        try continued.trainer.continueTraining(on: dataset, options: options())
        XCTAssertEqual(try continued.train(TrainingPlan(budget: .steps(2))), .finished)
        XCTAssertEqual(continued.trainer.step, 5)
        XCTAssertEqual(continued.history.records.map(\.step), [1, 2, 3, 4, 5])

        let url = temporaryURL("run-\(UUID().uuidString).safetensors")
        let first = TrainingRun(trainer: try Trainer(config: tinyConfig(), dataset: dataset, options: options()))
        XCTAssertEqual(try first.train(TrainingPlan(budget: .steps(3), checkpoint: url)), .finished)
        let resumed = try TrainingRun(resuming: url, dataset: dataset, steps: 5)
        XCTAssertEqual(resumed.history, first.history, "the checkpoint keeps the history")
        XCTAssertEqual(try resumed.train(TrainingPlan(budget: .steps(2))), .finished)
        XCTAssertEqual(continued.trainer.model.network.stateDict(), resumed.trainer.model.network.stateDict())
        XCTAssertEqual(continued.trainer.ema.state(), resumed.trainer.ema.state())
        XCTAssertEqual(continued.trainer.optimizer.state(), resumed.trainer.optimizer.state())
        XCTAssertEqual(continued.history, resumed.history)
    }

    /// A stop request ends the call after the current step and saves the step reached; a time
    /// budget fixes the schedule's length once the rate is known.
    func testStoppingSavesAndATimeBudgetEndsOnTime() throws {
        let dataset = syntheticDataset()
        let url = temporaryURL("stopped-\(UUID().uuidString).safetensors")
        let run = TrainingRun(trainer: try Trainer(config: tinyConfig(.ar), dataset: dataset, options: options()))
        var checkpointed: [Int] = []
        let outcome = try run.train(TrainingPlan(budget: .steps(100), checkpoint: url, checkpointEvery: 2),
                                    shouldStop: { run.trainer.step >= 3 }) { event in
            if case .checkpointed(let step, _) = event { checkpointed.append(step) }
        }
        XCTAssertEqual(outcome, .stopped)
        XCTAssertEqual(checkpointed, [2, 3])
        XCTAssertEqual(try Checkpoint.load(from: url).step, 3)

        let started = Date()
        XCTAssertEqual(try run.train(TrainingPlan(budget: .minutes(0.02))), .finished)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.2 + 5, "a 1.2 s budget ends near its deadline")
        XCTAssertGreaterThan(run.trainer.step, 3 + TrainingRun.calibrationSteps)
        XCTAssertLessThan(run.trainer.options.steps, 3 + TrainingRun.provisionalSteps, "the schedule's length was fixed")
    }

    /// Evaluation uses the averaged weights, runs every N steps and at the end, and lands in the history.
    func testEvaluationIsRecordedInTheHistory() throws {
        let dataset = syntheticDataset()
        let run = TrainingRun(trainer: try Trainer(config: tinyConfig(.ar), dataset: dataset, options: options()))
        var evaluatedAt: [Int] = []
        _ = try run.train(TrainingPlan(budget: .steps(5), evaluation: dataset, evaluateEvery: 2, evaluationLimit: 2), report: { event in
            if case .evaluated(let step, let result) = event {
                evaluatedAt.append(step)
                XCTAssertEqual(result.samples, 2)
            }
        })
        XCTAssertEqual(evaluatedAt, [2, 4, 5])
        XCTAssertEqual(run.history.records.map { $0.developmentDTWMJE != nil }, [false, true, false, true, true])
        let averaged = try run.trainer.withAveragedWeights { model in
            try EvaluationRunner(model: model, options: SamplingOptions(steps: 1, seed: 0)).run(on: dataset, limit: 2)
        }
        XCTAssertEqual(run.history.records.last?.developmentDTWMJE, averaged.metrics.map { Float($0.dtwMJE) })
    }
}
