import PoseData

/// `resample SAMPLE|DATASET fps: N`: the same motion at another frame rate.
struct ResampleVerb: Verb {
    let signature = VerbSignature(
        name: "resample",
        summary: "change the frame rate of a sample or of every sample of a dataset (linear interpolation)",
        positional: [Parameter("what", .sample | .dataset, "the sample or dataset")],
        named: [Parameter("fps", .number, "the new frames per second", required: true)],
        returns: "a sample or dataset like the one given",
        examples: ["resample dev fps: 25", "resample dev[0] fps: 6.25"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let fps = try arguments.positiveNumber("fps")
        switch arguments["what"] {
        case .sample(let sample): return .sample(try sample.resampled(toFPS: fps))
        case .dataset(let dataset): return .dataset(try dataset.resampled(toFPS: fps))
        default: return .none
        }
    }
}
