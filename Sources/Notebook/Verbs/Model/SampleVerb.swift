import HybridSign
import PoseData

/// `sample MODEL TEXT …`: one generated pose sequence.
struct SampleVerb: Verb {
    let signature = VerbSignature(
        name: "sample",
        summary: "generate a pose sequence for a text with a trained model",
        positional: [Parameter("model", .object("model"), "a trained model"),
                     Parameter("text", .string | .sample | .list, "the text to sign (or a sample: its text, or sentence features; or a list of texts, which gives a list of samples)",
                               placeholder: "TEXT")],
        named: [SamplingArguments.steps, SamplingArguments.seed, SamplingArguments.frames, SamplingArguments.temperature, SamplingArguments.signer, SamplingArguments.batch],
        returns: "a sample (frames, text and name), ready for render, export and compare; for a list of texts, a list of samples",
        examples: ["let s = sample m \"Baum\"", "sample m \"Haus\" steps: 2 seed: 7 frames: 40", "sample m \"Baum\" signer: \"ase\"", "let all = sample m [\"Baum\", \"Haus\", \"Uhr\"] seed: 1 batch: 3",
                   "render (sample m dev[3]) vs dev[3] to \"out/cmp\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let model = try arguments.model("model").requireFitted(arguments, "model")
        let options = try SamplingArguments.options(arguments, signature: signature, defaults: model.samplingDefaults)
        if let texts = try SamplingArguments.texts(arguments) {
            let progress = context.progress("sample", total: texts.count)
            defer { progress.dismiss() }
            var finished = 0
            let sequences = try SamplingArguments.generate(model, texts: texts, arguments, options: options, context: context,
                                                           onFinished: { _, _ in
                                                               finished += 1
                                                               progress.update(finished)
                                                           })
            return .list(sequences.map { .sample($0) })
        }
        if arguments.has("batch") { throw arguments.error("batch: goes with a list of texts", at: "batch") }
        // Long runs show progress (on a terminal at once, in logs after a second); the sample
        // itself is the result, so no final line stays.
        let total: Int? = if case .fixed(let frames) = options.frames { frames } else { nil }
        let progress = context.progress("sample", total: total)
        defer { progress.dismiss() }
        let sequence = try SamplingArguments.generate(model, arguments, options: options, context: context) { frame in
            progress.update(frame.index + 1)
        }
        return .sample(sequence)
    }
}
