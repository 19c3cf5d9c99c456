import ArgumentParser
import Foundation
import HybridSign

/// `hybridsign eval MODEL --data TEST.pkl`: DTW-MJE, MJE and streaming speed on a dataset.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate a trained model on a dataset (DTW-MJE, MJE, time to first frame, fps).")

    @Argument(help: "The model (.safetensors).") var model: String
    @Option(help: "The evaluation data (.pkl, .json, .pose or a directory).") var data: String
    @Option(help: "Flow steps per frame.") var steps: Int = 1
    @Option(help: "Random seed (sample k uses seed + k).") var seed: UInt64 = 0
    @Option(help: "Noise temperature of the flow's source.") var temperature: Float = 1
    @Option(help: "Evaluate only the first N samples.") var limit: Int?
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        do {
            let loaded = try HybridSignModel.load(contentsOf: URL(fileURLWithPath: model))
            let dataset = try CommandSupport.loadDataset(data)
            let runner = EvaluationRunner(model: loaded, options: SamplingOptions(steps: steps, seed: seed, frames: .auto, temperature: temperature))
            let result = try runner.run(on: dataset, limit: limit)
            print(json ? result.json : result.summary)
        } catch {
            throw CommandSupport.fail("eval", error)
        }
    }
}
