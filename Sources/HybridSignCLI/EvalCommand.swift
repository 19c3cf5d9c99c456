import ArgumentParser
import Evaluation
import Foundation
import HybridSign
import PoseData

/// `hybridsign eval MODEL --data TEST.pkl`: DTW-MJE, MJE and streaming speed on a dataset.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate a trained model on a dataset (DTW-MJE, MJE, time to first frame, fps).")

    @Argument(help: "The model (.safetensors), or `mean-pose` for the mean-pose baseline fitted on --train.") var model: String
    @Option(help: "Training data for the mean-pose baseline.") var train: String?
    @Option(help: "The evaluation data (.pkl, .json, .pose or a directory).") var data: String
    @Option(help: "Flow steps per frame (default: the model's recommended setting).") var steps: Int?
    @Option(help: "Random seed (sample k uses seed + k).") var seed: UInt64 = 0
    @Option(help: "Noise temperature of the flow's source (default: the model's recommended setting).") var temperature: Float?
    @Option(help: ArgumentHelp("Sign every sample as this signer, or as its reference's own signer (`own`); default: none.",
                               valueName: "CODE|own"))
    var signer: String?
    @Option(help: "Also sample each text with this many seeds and report the diversity (distinct nearest realisations, pairwise DTW-MJE).")
    var seeds: Int?
    @Option(help: "Evaluate only the first N samples.") var limit: Int?
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "The text encoder's folder, for a model trained with --text-encoder (default: the folder it was trained with, else $HYBRIDSIGN_TEXT_ENCODERS or ~/.cache/hybridsign/text-encoders).") var encoder: String?

    /// The `--signer` value that signs each sample as its reference's own signer.
    static let ownSigner = "own"

    func validate() throws {
        if let seeds, seeds < 1 || seeds > 1000 { throw ValidationError("--seeds must be between 1 and 1000, not \(seeds)") }
        if seeds != nil && signer == Self.ownSigner {
            throw ValidationError("--seeds samples each text with one signer or none: give --signer CODE or leave it out, not --signer own")
        }
    }

    func run() throws {
        do {
            if model == "mean-pose" {
                guard let train else { throw ValidationError("the mean-pose baseline needs --train TRAIN.pkl") }
                let result = try meanPose(train: try CommandSupport.loadDataset(train), test: try CommandSupport.loadDataset(data))
                print(json ? result.json : result.summary)
                return
            }
            let loaded = try HybridSignModel.load(contentsOf: URL(fileURLWithPath: model), textEncoder: encoder.map { URL(fileURLWithPath: $0) })
            let dataset = try CommandSupport.loadDataset(data)
            let own = signer == Self.ownSigner
            let options = loaded.samplingDefaults.options(seed: seed, signer: own ? nil : signer)
                .overriding(steps: steps, temperature: temperature)
            let runner = EvaluationRunner(model: loaded, options: options, signerFromReference: own)
            var result = try runner.run(on: dataset, limit: limit)
            if let seeds {
                result.diversity = try runner.diversity(on: dataset, seeds: seeds, limit: limit)
            }
            print(json ? result.json : result.summary)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandSupport.fail("eval", error)
        }
    }

    /// The mean training pose repeated for each reference's length (an oracle length).
    func meanPose(train: PoseDataset, test: PoseDataset) throws -> EvaluationRunner.Result {
        guard let baseline = MeanPoseBaseline(fitting: train) else { throw ValidationError("the training data has no frames") }
        let references = Array(test.samples.prefix(limit ?? test.count))
        let generated = try references.map { try baseline.sequence(frames: $0.frameCount, fps: $0.fps) }
        return EvaluationRunner.Result(metrics: try DatasetMetrics.compare(generated: generated, references: references),
                                       timing: nil, samples: references.count)
    }
}
