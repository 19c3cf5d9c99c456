import Evaluation
import Foundation
import HybridSign
import Platform
import PoseData

/// `stream MODEL TEXT …`: samples while printing each frame as it is made, with its latency.
struct StreamVerb: Verb {
    let signature = VerbSignature(
        name: "stream",
        summary: "generate a sequence, printing each frame as it is made (time since start, progress), then the latency",
        positional: [Parameter("model", .object("model"), "a trained model"),
                     Parameter("text", .string | .sample | .list, "the text to sign (or a sample; or a list of texts, which gives a list of samples)", placeholder: "TEXT")],
        named: [SamplingArguments.steps, SamplingArguments.seed, SamplingArguments.frames, SamplingArguments.signer, SamplingArguments.batch],
        returns: "the sample made (for a list of texts, the list of samples, one line each as it ends)",
        examples: ["stream m \"Hallo\"", "let s = stream m \"Baum\" steps: 2 frames: 30", "stream m [\"Baum\", \"Haus\"] batch: 2"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let model = try arguments.model("model").requireFitted(arguments, "model")
        let options = try SamplingArguments.options(arguments, signature: signature, defaults: model.samplingDefaults)
        let output = context.output
        if let texts = try SamplingArguments.texts(arguments) {
            var first = [Double?](repeating: nil, count: texts.count)
            let sequences = try SamplingArguments.generate(model, texts: texts, arguments, options: options, context: context, onFinished: { k, sequence in
                output.clearStatus()
                output.print(String(format: "[%d] %@: %d frames, first frame after %.1f ms", k, QuotedText.quoted(texts[k]), sequence.frameCount,
                                    (first[k] ?? 0) * 1000))
            }, onFrame: { k, frame in
                if frame.index == 0 { first[k] = frame.time }
                if output.isTerminal { output.status(String(format: "frame %3d  %8.1f ms", frame.index, frame.time * 1000)) }
            })
            output.clearStatus()
            return .list(sequences.map { .sample($0) })
        }
        if arguments.has("batch") { throw arguments.error("batch: goes with a list of texts", at: "batch") }
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
