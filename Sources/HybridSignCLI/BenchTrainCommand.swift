import ArgumentParser
import Foundation
import HybridSign
import Tensors

/// `hybridsign bench train`: seconds per full optimiser step (forward, MeanFlow JVP, backward,
/// clipping, AdamW, EMA) of a preset on random data of a fixed shape.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Training speed (seconds per step, tokens per second) of a preset.")

    @Option(help: "Model preset.") var preset: ModelPreset = .small
    @Option(help: "Sequences per batch.") var batch: Int = 4
    @Option(help: "Frames per sequence.") var frames: Int = 40
    @Option(help: "Timed steps (after one warm-up step).") var steps: Int = 3
    @Option(help: "Objective and sampler.") var mode: ModelMode = .hybrid
    @Option(help: "Share of frames the flow trains on per step (hybrid; default: the preset's).") var flowFraction: Float?
    @Flag(inversion: .prefixedNo, help: "Stop the flow's gradient at the clean stream's keys/values (hybrid; default: the preset's).") var detachHistory: Bool?
    @Option(help: "Precision of the linear layers' products (fp32, or bf16: bfloat16 operands, float32 sums).")
    var precision: MatmulPrecision = .fp32
    @Flag(help: "Also print time per op of one extra profiled step.") var profile = false
    @Flag(help: "Print one JSON object: {\"seconds_per_step\": ..., \"tokens_per_s\": ..., \"kernels\": ..., \"precision\": ...}.") var json = false

    func validate() throws {
        guard batch >= 1, frames >= 2, steps >= 1 else { throw ValidationError("--batch, --steps must be ≥ 1 and --frames ≥ 2") }
        if let flowFraction, !(flowFraction > 0 && flowFraction <= 1) { throw ValidationError("--flow-fraction must be in (0, 1]") }
    }

    func run() throws {
        do {
            var config = try preset.config()
            config.mode = mode
            if let flowFraction { config.flowFraction = flowFraction }
            if let detachHistory { config.detachHistory = detachHistory }
            let dataset = try BenchmarkModels.randomDataset(layout: config.layout, count: batch, frames: frames)
            var options = TrainingOptions()
            options.batchSize = batch
            options.steps = steps + 1
            options.warmupSteps = 1
            let trainer = try Trainer(config: config, dataset: dataset, options: options)
            trainer.matmulPrecision = precision
            // bf16 products run on the AVX-512 BF16 kernel or are emulated (rounded, then sgemm).
            let products = precision == .bf16 ? "bf16 \(MatmulPrecision.bfloat16Route())" : "fp32"
            try trainer.trainStep()
            let clock = ContinuousClock()
            var times: [Double] = []
            for _ in 0..<steps { times.append(try clock.measure { try trainer.trainStep() }.seconds) }
            let perStep = times.sorted()[times.count / 2]
            if profile {
                try trainer.trainStep(profiled: true)
                // On stderr, so `--json` output stays one object.
                FileHandle.standardError.write(Data((trainer.lastProfile ?? "").utf8))
            }
            // Tokens: every (frame, token) of the batch once — batch × frames × tokens per frame.
            let tokens = Double(batch * frames * config.tokensPerFrame)
            if json {
                print("{\"seconds_per_step\": \(String(format: "%.4f", perStep)), \"tokens_per_s\": \(String(format: "%.0f", tokens / perStep)), \"kernels\": \"\(KernelPath.current)\", \"precision\": \"\(products)\"}")
            } else {
                print(String(format: "%@ preset (%@): batch %d × %d frames × %d tokens: %.3f s/step, %.0f tokens/s (%@ kernels, %@ products)",
                             preset.rawValue, mode.rawValue, batch, frames, config.tokensPerFrame, perStep, tokens / perStep,
                             KernelPath.current.rawValue, products))
            }
        } catch {
            FileHandle.standardError.write(Data("hybridsign bench train: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
