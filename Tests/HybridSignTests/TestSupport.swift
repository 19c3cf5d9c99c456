import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// A small two-part layout (hand-like joints interleaved across parts, so part order ≠ layout order).
let tinyLayout = Layout(name: "tiny6", joints: (0..<6).map { "j\($0)" },
                        parts: [Layout.Part(name: "body", joints: [0, 2, 4]), Layout.Part(name: "hand", joints: [1, 3, 5])],
                        bones: [Layout.Bone(0, 2)])

/// A deterministic synthetic sequence: joints moving on circles whose phase depends on the text;
/// joint 5 is missing (confidence 0) in odd frames.
func syntheticSequence(text: String, frames: Int, layout: Layout = tinyLayout) -> PoseSequence {
    let j = layout.jointCount
    let phase = Float(text.unicodeScalars.reduce(0) { $0 + Int($1.value) } % 17) / 3
    var values: [Float] = []
    for f in 0..<frames {
        for k in 0..<j {
            let a = phase + Float(f) * 0.3 + Float(k)
            let missing = k == j - 1 && f % 2 == 1
            values += missing ? [0, 0, 0] : [100 + 40 * cosf(a) + Float(k) * 10, 200 + 30 * sinf(a), 0.9]
        }
    }
    return try! PoseSequence(layout: layout, fps: 12.5, values: values, text: text)
}

func syntheticDataset(_ texts: [String] = ["ab", "ba", "abc", "cab"], frames: [Int] = [6, 7, 8, 9]) -> PoseDataset {
    try! PoseDataset(layout: tinyLayout, samples: zip(texts, frames).map { syntheticSequence(text: $0, frames: $1) })
}

func tinyConfig(_ mode: ModelMode = .hybrid, tokens: TokenKind = .part) -> ModelConfig {
    var config = ModelConfig()
    config.dim = 16
    config.heads = 2
    config.depth = 2
    config.mlp = 24
    config.tokens = tokens
    config.mode = mode
    config.maxFrames = 40
    config.layout = tinyLayout
    return config
}

/// Replaces every weight with small random values, so zero-initialised gates and heads do not
/// make a test trivially pass.
func perturb(_ model: HybridSignModel, seed: UInt64 = 7, scale: Float = 0.3) {
    var rng = RandomGenerator(seed: seed)
    for p in model.network.parameters {
        p.assign(p.value + rng.normal(p.value.shape, std: scale))
    }
}

func temporaryURL(_ name: String) -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hybridsign-tests-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name)
}

/// The bundled real data: `data/words/SPLIT.pkl` (dev or test).
func bundledWords(_ split: String) -> URL {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent("data/words/\(split).pkl")
}

func assertClose(_ a: [Float], _ b: [Float], tolerance: Float, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, message, file: file, line: line)
    var worst: Float = 0
    for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / max(1, abs(x), abs(y))) }
    XCTAssertLessThanOrEqual(worst, tolerance, "\(message): max relative difference \(worst)", file: file, line: line)
}

/// The bundled multilingual data: `data/multilingual/SPLIT.pkl.gz` (dev or test).
func bundledMultilingual(_ split: String) -> URL {
    bundledWords(split).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("multilingual/\(split).pkl.gz")
}

/// A short training run of `config` on ``syntheticDataset(_:frames:)`` (batch 2, learning rate
/// 3e-3, 5 warm-up steps, seed 1): the trainer after `steps` steps, with the losses of one step
/// taken before the run and one after it.
func trainBriefly(_ config: ModelConfig, steps: Int) throws -> (trainer: Trainer, first: LossBreakdown, last: LossBreakdown) {
    var options = TrainingOptions()
    options.steps = steps
    options.batchSize = 2
    options.learningRate = 3e-3
    options.warmupSteps = 5
    options.seed = 1
    let trainer = try Trainer(config: config, dataset: syntheticDataset(), options: options)
    let first = try trainer.trainStep().loss
    try trainer.run()
    let last = try trainer.trainStep().loss
    return (trainer, first, last)
}

/// Options for a few steps with one warm-up step, the other settings the defaults.
func shortRunOptions(steps: Int, batchSize: Int, seed: UInt64) -> TrainingOptions {
    var options = TrainingOptions()
    options.steps = steps
    options.batchSize = batchSize
    options.warmupSteps = 1
    options.seed = seed
    return options
}

/// The model `trainer` saved to a temporary checkpoint `name` and loaded back.
func savedAndLoaded(_ trainer: Trainer, as name: String) throws -> HybridSignModel {
    let url = temporaryURL(name)
    try trainer.save(to: url)
    return try Checkpoint.load(from: url).model
}
