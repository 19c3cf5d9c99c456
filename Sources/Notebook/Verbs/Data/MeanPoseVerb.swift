import Evaluation
import PoseData

/// `meanpose TRAIN like: REFERENCE`: the mean-pose baseline, shaped like a reference so `compare`
/// can score it.
struct MeanPoseVerb: Verb {
    let signature = VerbSignature(
        name: "meanpose",
        summary: "the mean-pose baseline of a dataset: its confidence-weighted mean pose, held still",
        positional: [Parameter("dataset", .dataset, "the data to average (a training split)")],
        named: [Parameter("like", .sample | .dataset,
                          "take each reference's frame count, fps, name and text (a dataset gives one sample per reference)"),
                Parameter("frames", .number, "how many frames, without like:", default: .number(1))],
        returns: "a sample, or a dataset when like: is a dataset",
        examples: ["meanpose training like: dev[0]", "compare (meanpose training like: dev) vs dev"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        guard case .dataset(let dataset) = arguments["dataset"] else { return .none }
        guard let baseline = MeanPoseBaseline(fitting: dataset) else {
            throw arguments.error("the dataset has no frames to average", at: "dataset")
        }
        func shaped(like reference: PoseSequence) throws(PoseDataError) -> PoseSequence {
            var sample = try baseline.sequence(frames: reference.frameCount, fps: reference.fps)
            sample.name = reference.name
            sample.text = reference.text
            sample.gloss = reference.gloss
            sample.signer = reference.signer
            return sample
        }
        switch arguments["like"] {
        case .sample(let reference):
            return .sample(try shaped(like: reference))
        case .dataset(let references):
            guard references.layout == dataset.layout else {
                throw arguments.error("like: follows layout '\(references.layout.name)', the dataset '\(dataset.layout.name)'", at: "like")
            }
            return .dataset(try references.map(shaped))
        default:
            let frames = try arguments.integer("frames", in: 1...1_000_000)
            let fps = dataset.samples.first?.fps ?? 25
            return .sample(try baseline.sequence(frames: frames, fps: fps))
        }
    }
}
