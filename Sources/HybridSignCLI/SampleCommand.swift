import ArgumentParser
import Foundation
import HybridSign

/// `hybridsign sample MODEL "text" --out F`: one sequence from a trained model, written as .json,
/// .pose or .pkl; `hybridsign sample MODEL --texts FILE --out DIR`: one sequence per line of FILE,
/// generated in batches (`SampleCommand+Texts.swift`).
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Generate a pose sequence for a text (or one per line of a file) with a trained model.")

    @Argument(help: "The model (.safetensors).") var model: String
    @Argument(help: "The text to sign (or give --texts).") var text: String?
    @Option(help: "A UTF-8 file with one text per line: one sequence each, written into the --out directory as NNNN-text.FORMAT (NNNN the line number); blank lines are skipped.")
    var texts: String?
    @Option(help: ArgumentHelp("With --texts: sequences generated at once (default: automatic, about 512 token rows per core, at most 32).", valueName: "B"))
    var batch: Int?
    @Option(help: "With --texts: the files' format, json, pose or pkl.") var format: SampleFileFormat = .json
    @Flag(help: "With --texts: no progress line.") var quiet = false
    @Option(help: "Flow steps per frame (default: the model's recommended setting).") var steps: Int?
    @Option(help: "Random seed (with --texts, the k-th text, counting from 0, gets seed + k).") var seed: UInt64 = 0
    @Option(help: ArgumentHelp("auto (until the model's progress head ends it) or a number of frames.", valueName: "auto|N"))
    var frames: SamplingOptions.FrameLimit = .auto
    @Option(help: "Noise temperature of the flow's source, 0 starting from the AR estimate (default: the model's recommended setting).")
    var temperature: Float?
    @Option(help: "Sign as this signer (a code the model learned with --signer-conditioning; default: none, the model chooses).")
    var signer: String?
    @Option(help: "Output file: .json, .pose or .pkl (with --texts: a directory, created if missing).") var out: String
    @Flag(help: "Print each frame's time as it is made.") var verbose = false
    @Option(help: "The text encoder's folder, for a model trained with --text-encoder (default: the folder it was trained with, else $HYBRIDSIGN_TEXT_ENCODERS or ~/.cache/hybridsign/text-encoders).") var encoder: String?

    func validate() throws {
        guard (text == nil) != (texts == nil) else {
            throw ValidationError(text == nil ? "give a text to sign, or --texts FILE with one text per line" : "give either a text or --texts FILE, not both")
        }
        if let batch, batch < 1 || batch > Sampler.maximumBatchSize {
            throw ValidationError("--batch must be between 1 and \(Sampler.maximumBatchSize), not \(batch)")
        }
        if texts == nil, batch != nil || format != .json || quiet {
            throw ValidationError("--batch, --format and --quiet go with --texts FILE (a single text's format is its --out file's extension)")
        }
    }

    func run() throws {
        do {
            let lines = try texts.map(TextsFile.init(path:))
            let loaded = try HybridSignModel.load(contentsOf: URL(fileURLWithPath: model), textEncoder: encoder.map { URL(fileURLWithPath: $0) })
            let options = loaded.samplingDefaults.options(seed: seed, frames: frames, signer: signer)
                .overriding(steps: steps, temperature: temperature)
            if let lines { return try sampleTexts(lines, model: loaded, options: options) }
            let text = self.text ?? ""
            var times: [Double] = []
            if case .fixed(let count) = frames, let warning = LengthAdvice.fixedFrames(count, config: loaded.config) {
                CommandSupport.warn(warning)
            }
            var last: GeneratedFrame?
            let sampler = Sampler(model: loaded)
            let sequence = try sampler.sample(text: text, options: options) { frame in
                times.append(frame.time)
                last = frame
                if verbose { print(String(format: "frame %d at %.1f ms (progress %.2f)", frame.index, frame.time * 1000, frame.progress)) }
            }
            if case .auto = frames, let warning = LengthAdvice.progressNeverEnded(last: last, frameCount: sequence.frameCount, sampler: sampler) {
                CommandSupport.warn(warning)
            }
            if case .auto = frames, let warning = LengthAdvice.automatic(framesMade: sequence.frameCount, text: text, model: loaded) {
                CommandSupport.warn(warning)
            }
            try CommandSupport.save(sequence, to: out)
            let fps = times.last.map { Double(times.count) / max($0, 1e-9) } ?? 0
            print(String(format: "%d frames → %@ (first frame %.1f ms, %.0f frames/s)", sequence.frameCount, out, (times.first ?? 0) * 1000, fps))
        } catch let error as ValidationError {
            throw error
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CommandSupport.fail("sample", error)
        }
    }
}
