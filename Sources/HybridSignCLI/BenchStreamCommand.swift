import ArgumentParser
import Foundation
import HybridSign
import Tensors
import TextEncoders

/// `hybridsign bench stream`: time to first frame and frames per second of the streaming sampler
/// for a randomly initialised model of a preset, after one warm-up sequence.
struct BenchStreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream", abstract: "Streaming speed (time to first frame, frames per second) of a preset.")

    @Option(help: "Model preset.") var preset: ModelPreset = .small
    @Option(help: "Frames to stream.") var frames: Int = 60
    @Option(help: "Flow steps per frame.") var steps: Int = 1
    @Option(help: "Timed runs (the median is printed).") var runs: Int = 3
    @Option(help: "Objective and sampler.") var mode: ModelMode = .hybrid
    @Option(help: "Condition on a pretrained text encoder: its folder, or `random-t5-base` (a t5-base-sized T5 with random weights); the first frame then includes encoding the sentence.")
    var textEncoder: String?
    @Option(help: "The text to stream (default: \"hallo\"; with --text-encoder a 15-word sentence).") var text: String?
    @Option(help: "Stream this many sequences at once and time them against one stream in the same run (JSON: fps_total, ttff_s, frame_s, single_fps, ratio, kernels).")
    var batch: Int?
    @Flag(help: "Also print time per op (and the linear layers' GFLOP/s) of one extra profiled sequence, on stderr.") var profile = false
    @Flag(help: "Print one JSON object: {\"ttff_s\": ..., \"fps\": ..., \"params\": ..., \"kernels\": ...}.") var json = false

    func validate() throws {
        guard frames >= 1, steps >= 1, runs >= 1 else { throw ValidationError("--frames, --steps and --runs must be at least 1") }
        if let batch, batch < 1 || batch > Sampler.maximumBatchSize {
            throw ValidationError("--batch must be between 1 and \(Sampler.maximumBatchSize), not \(batch)")
        }
        if batch != nil, profile { throw ValidationError("--profile times one stream: leave out --batch") }
        if batch != nil, mode == .diffusion { throw ValidationError("--batch streams frame by frame: use --mode hybrid or ar") }
    }

    func run() throws {
        do {
            var config = try preset.config()
            config.mode = mode
            config.maxFrames = max(config.maxFrames, frames)
            var temporary: URL?
            defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
            var encoder: PretrainedTextEncoder?
            if let textEncoder {
                var folder = URL(fileURLWithPath: textEncoder)
                if textEncoder == "random-t5-base" {
                    folder = FileManager.default.temporaryDirectory.appendingPathComponent("hybridsign-bench-t5-\(getpid())")
                    temporary = folder
                    try RandomT5Folder.write(to: folder, seed: 0)
                }
                encoder = try PretrainedTextEncoder(folder: folder)
                config.text = .sentence
                config.sentenceWidth = encoder!.width
            }
            let model = try BenchmarkModels.randomModel(config: config, textEncoder: encoder)
            let sampler = Sampler(model: model)
            let options = SamplingOptions(steps: steps, seed: 1, frames: .fixed(frames))
            _ = try sampler.sample(text: "warmup", options: options)
            let sentence = text ?? (encoder == nil ? "hallo" : "The weather is cold and rainy in the north today, but warm in the south.")
            if let batch {
                let measured = try BatchStreamMeasurement(sampler: sampler, batchSize: batch, frames: frames, steps: steps, runs: runs) { run, k in
                    // Distinct texts per run and sequence (the encoder caches by text).
                    encoder == nil ? sentence : sentence + String(repeating: "!", count: (run + 1) * batch + k + 1)
                }
                print(json ? measured.json(params: model.network.parameterCount) : "\(preset.rawValue) preset (\(mode.rawValue)), \(frames) frames, \(steps) flow step(s): " + measured.summary())
                return
            }
            var results: [(ttff: Double, fps: Double)] = []
            for run in 0..<runs {
                var times: [Double] = []
                // A new text each run (the encoder caches by text), so every first frame includes encoding it.
                _ = try sampler.sample(text: encoder == nil ? sentence : sentence + String(repeating: "!", count: run + 1), options: options) { times.append($0.time) }
                results.append((times[0], Double(times.count) / times.last!))
            }
            if profile {
                var profiled = sampler
                // On stderr, so `--json` output stays one object.
                profiled.onProfile = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
                _ = try profiled.sample(text: sentence, options: options)
            }
            let ttff = results.map(\.ttff).sorted()[runs / 2], fps = results.map(\.fps).sorted()[runs / 2]
            let params = model.network.parameterCount
            if json {
                print("{\"ttff_s\": \(String(format: "%.4f", ttff)), \"fps\": \(String(format: "%.1f", fps)), \"params\": \(params), \"kernels\": \"\(KernelPath.current)\"}")
            } else {
                print(String(format: "%@ preset (%@, %d parameters): %d frames, %d flow step(s): first frame %.1f ms, %.1f frames/s (%@ kernels)",
                             preset.rawValue, mode.rawValue, params, frames, steps, ttff * 1000, fps, KernelPath.current.rawValue))
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("hybridsign bench stream: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
