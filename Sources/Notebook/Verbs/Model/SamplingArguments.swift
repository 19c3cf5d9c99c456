import HybridSign
import PoseData

/// The sampling arguments `sample`, `stream` and `eval` share: steps, seed, frames, temperature,
/// signer. Steps and temperature left out take the model's recommended settings (`show m`).
enum SamplingArguments {
    static let steps = Parameter("steps", .number, "flow steps per frame (per sequence for diffusion); default: the model's recommended setting")
    static let seed = Parameter("seed", .number, "seed of the flow's noise", default: .number(0))
    static let frames = Parameter("frames", .number | .string,
                                  "auto (until the model's progress head ends it) or a number of frames",
                                  default: .string("auto"), placeholder: "auto|NUMBER")
    static let temperature = Parameter("temperature", .number,
                                       "noise temperature of the flow's source (0 starts from the AR estimate); default: the model's recommended setting")
    static let signer = Parameter("signer", .string,
                                  "sign as this signer: a code the model learned with signer conditioning (default: none, the model chooses)",
                                  placeholder: "CODE")

    /// The options the call's arguments ask for: `defaults` (the model's recommended settings)
    /// for what the call leaves out, and for parameters the verb does not declare.
    static func options(_ arguments: Arguments, signature: VerbSignature,
                        defaults: SamplingDefaults) throws(NotebookError) -> SamplingOptions {
        var options = defaults.options()
        let declared = Set(signature.named.map(\.name))
        if declared.contains("steps") && arguments.has("steps") { options.steps = try arguments.integer("steps", in: 1...1000) }
        if declared.contains("seed") { options.seed = try arguments.seed("seed") }
        if declared.contains("signer") && arguments.has("signer") { options.signer = try arguments.string("signer") }
        if declared.contains("temperature") && arguments.has("temperature") {
            let temperature = try arguments.number("temperature")
            guard temperature >= 0, temperature.isFinite else {
                throw arguments.error("\(arguments.verb)'s 'temperature' must be 0 or more, got \(formatNumber(temperature))", at: "temperature")
            }
            options.temperature = Float(temperature)
        }
        if declared.contains("frames") {
            switch arguments["frames"] {
            case .string("auto"): options.frames = .auto
            case .string(let other):
                throw arguments.error("frames: must be auto or a number of frames, got '\(other)'", at: "frames")
            default: options.frames = .fixed(try arguments.integer("frames", in: 1...100_000))
            }
        }
        return options
    }

    /// Samples for the `text` argument: a string, or a sample (its text, or its sentence features
    /// for models conditioned on them). Ctrl-C stops it before the next frame: the frames made so
    /// far are kept (said in a line; the interrupt stays set, so the cell ends as interrupted),
    /// and none made is an interruption.
    static func generate(_ model: HybridSignModel, _ arguments: Arguments, options: SamplingOptions, context: VerbContext,
                         onFrame: (GeneratedFrame) -> Void) throws(NotebookError) -> PoseSequence {
        let sampler = Sampler(model: model)
        var sequence: PoseSequence
        let text: String? = if case .string(let string) = arguments["text"] { string } else { nil }
        let interrupt = context.interrupt
        if case .fixed(let count) = options.frames, let warning = LengthAdvice.fixedFrames(count, config: model.config) {
            context.output.printError("warning: " + warning)
        }
        var last: GeneratedFrame?
        do throws(HybridSignError) {
            switch arguments["text"] {
            case .sample(let reference):
                sequence = try sampler.sample(for: reference, options: options, onFrame: { last = $0; onFrame($0) }, shouldStop: { interrupt.isSet })
            default:
                sequence = try sampler.sample(text: text ?? "", options: options, onFrame: { last = $0; onFrame($0) }, shouldStop: { interrupt.isSet })
            }
        } catch {
            if error.isAboutText, let text, let range = unknownUnitRange(in: text, arguments: arguments, model: model) {
                throw NotebookError(error.description, at: range)
            }
            throw notebookError(error, arguments, at: error.isAboutText ? "text" : error.isAboutSigner ? "signer" : nil)
        }
        if interrupt.isSet {
            guard sequence.frameCount > 0 else { throw NotebookError.interrupted(at: arguments.callRange) }
            context.output.clearStatus()
            context.output.print("stopped by Ctrl-C: kept the \(sequence.frameCount) frames made so far")
        }
        if case .auto = options.frames, !interrupt.isSet,
           let warning = LengthAdvice.progressNeverEnded(last: last, frameCount: sequence.frameCount, sampler: sampler) {
            context.output.printError("warning: " + warning)
        }
        if case .auto = options.frames, !interrupt.isSet, let text = sequence.text, model.config.mode != .diffusion,
           let warning = LengthAdvice.automatic(framesMade: sequence.frameCount, text: text, model: model) {
            context.output.printError("warning: " + warning)
        }
        // Named after text and mode, so `render (sample h w) vs (sample a w)` labels its panels apart.
        if sequence.name == nil { sequence.name = sequence.text.map { "\($0) (\(model.config.mode.rawValue))" } }
        return sequence
    }

    /// The characters of the first unit the model cannot read, inside the string literal the text
    /// was written as (so the caret points at `Q` in `"Qxz"`); nil when the text was not written
    /// as a plain literal on one line (a variable, an expression, escapes), whose range then stands.
    private static func unknownUnitRange(in text: String, arguments: Arguments, model: HybridSignModel) -> SourceRange? {
        guard let written = arguments.range(of: "text"), arguments.variableName(of: "text") == nil,
              written.start.line == written.end.line, written.end.offset - written.start.offset == text.count + 2,
              let unknown = model.vocabulary?.firstUnknownUnit(in: text) else { return nil }
        func position(_ characters: Int) -> SourcePosition {
            SourcePosition(line: written.start.line, column: written.start.column + 1 + characters,
                           offset: written.start.offset + 1 + characters)
        }
        return SourceRange(position(unknown.offset), position(unknown.offset + unknown.length))
    }
}

extension HybridSignError {
    /// Whether the error is about the text given (so it points there).
    var isAboutText: Bool {
        if case .unsupportedText = self { return true }
        return false
    }

    /// Whether the error is about the signer given (so it points there).
    var isAboutSigner: Bool {
        if case .unknownSigner = self { return true }
        return false
    }
}
