import Evaluation
import Foundation
import HybridSign
import PoseData

/// `stream MODEL TEXT …`: samples while printing each frame as it is made, with its latency.
struct StreamVerb: Verb {
    let signature = VerbSignature(
        name: "stream",
        summary: "generate a sequence, printing each frame as it is made (time since start, progress), then the latency",
        positional: [Parameter("model", .object("model"), "a trained model"),
                     Parameter("text", .string | .sample, "the text to sign (or a sample)", placeholder: "TEXT")],
        named: [SamplingArguments.steps, SamplingArguments.seed, SamplingArguments.frames, SamplingArguments.signer],
        returns: "the sample made",
        examples: ["stream m \"Hallo\"", "let s = stream m \"Baum\" steps: 2 frames: 30"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let model = try arguments.model("model").requireFitted(arguments, "model")
        let options = try SamplingArguments.options(arguments, signature: signature, defaults: model.samplingDefaults)
        let output = context.output
        var times: [Double] = []
        // A frame's line is written the moment the sampler hands it over (the sampler runs on this
        // thread, so the printed time is the frame's real latency, not a delayed echo).
        let sequence = try SamplingArguments.generate(model, arguments, options: options, context: context) { frame in
            times.append(frame.time)
            let line = String(format: "frame %3d  %8.1f ms  progress %.2f", frame.index, frame.time * 1000, frame.progress)
            if output.isTerminal { output.status(line) } else { output.print(line) }
        }
        output.clearStatus()
        if let timing = StreamTiming(frameTimes: times) {
            output.print(String(format: "%d frames: first frame after %.1f ms, %.1f frames/s (%.2f s of signing at %@ fps)",
                                timing.frames, timing.timeToFirstFrame * 1000, timing.framesPerSecond,
                                sequence.duration, formatNumber(sequence.fps)))
        } else {
            output.print("\(times.count) frames")
        }
        return .sample(sequence)
    }
}
