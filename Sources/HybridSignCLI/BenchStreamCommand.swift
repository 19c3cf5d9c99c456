import ArgumentParser
import Foundation
import HybridSign

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
    @Flag(help: "Print one JSON object: {\"ttff_s\": ..., \"fps\": ..., \"params\": ...}.") var json = false

    func validate() throws {
        guard frames >= 1, steps >= 1, runs >= 1 else { throw ValidationError("--frames, --steps and --runs must be at least 1") }
    }

    func run() throws {
        do {
            var config = try preset.config()
            config.mode = mode
            config.maxFrames = max(config.maxFrames, frames)
            let model = try BenchmarkModels.randomModel(config: config)
            let sampler = Sampler(model: model)
            let options = SamplingOptions(steps: steps, seed: 1, frames: .fixed(frames))
            _ = try sampler.sample(text: "warmup", options: options)
            var results: [(ttff: Double, fps: Double)] = []
            for _ in 0..<runs {
                var times: [Double] = []
                _ = try sampler.sample(text: "hallo", options: options) { times.append($0.time) }
                results.append((times[0], Double(times.count) / times.last!))
            }
            let ttff = results.map(\.ttff).sorted()[runs / 2], fps = results.map(\.fps).sorted()[runs / 2]
            let params = model.network.parameterCount
            if json {
                print("{\"ttff_s\": \(String(format: "%.4f", ttff)), \"fps\": \(String(format: "%.1f", fps)), \"params\": \(params)}")
            } else {
                print(String(format: "%@ preset (%@, %d parameters): %d frames, %d flow step(s): first frame %.1f ms, %.1f frames/s",
                             preset.rawValue, mode.rawValue, params, frames, steps, ttff * 1000, fps))
            }
        } catch {
            FileHandle.standardError.write(Data("hybridsign bench stream: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
