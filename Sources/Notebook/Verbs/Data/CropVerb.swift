import PoseData

/// `crop SAMPLE|DATASET START [END]`: frames START up to (not including) END.
struct CropVerb: Verb {
    let signature = VerbSignature(
        name: "crop",
        summary: "keep frames START up to, not including, END (negative counts from the end) of a sample or every sample",
        positional: [Parameter("what", .sample | .dataset, "the sample or dataset"),
                     Parameter("start", .number, "the first frame kept", placeholder: "START"),
                     Parameter("end", .number, "the frame after the last one kept (default: the end)", optional: true,
                               placeholder: "END")],
        returns: "a sample or dataset like the one given",
        examples: ["crop s 10 40", "crop s 0 -5", "crop dev 0 50"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let start = try arguments.integer("start")
        let end = arguments.has("end") ? try arguments.integer("end") : nil
        switch arguments["what"] {
        case .sample(let sample):
            let range = try frameRange(start: start, end: end, frames: sample.frameCount, arguments: arguments)
            return .sample(try sample.cropped(to: range))
        case .dataset(let dataset):
            // Each sample is cut where it can be, so `crop d 0 50` keeps at most 50 frames of each.
            return .dataset(try dataset.map { sample throws(PoseDataError) in
                let frames = sample.frameCount
                let from = min(max(start < 0 ? frames + start : start, 0), frames)
                let to = min(max(end.map { $0 < 0 ? frames + $0 : $0 } ?? frames, from), frames)
                return try sample.cropped(to: from..<to)
            })
        default:
            return .none
        }
    }

    /// The frame range of one sample; negative bounds count from the end.
    private func frameRange(start: Int, end: Int?, frames: Int, arguments: Arguments) throws(NotebookError) -> Range<Int> {
        let from = start < 0 ? frames + start : start
        let to = end.map { $0 < 0 ? frames + $0 : $0 } ?? frames
        guard from >= 0, from <= frames else {
            throw arguments.error("crop's START \(start) is outside the sample's \(frames) frames", at: "start",
                                  hint: "valid: 0…\(frames) (or -\(frames)…-1 from the end)")
        }
        guard to >= from, to <= frames else {
            throw arguments.error("crop's END \(end ?? frames) must lie between START (\(from)) and the sample's \(frames) frames",
                                  at: "end", hint: "END is not included: crop s 0 10 keeps frames 0…9")
        }
        return from..<to
    }
}
