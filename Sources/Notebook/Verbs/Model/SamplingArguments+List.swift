import HybridSign
import PoseData

extension SamplingArguments {
    static let batch = Parameter("batch", .number,
                                 "with a list of texts: how many sequences run at once (default: automatic, about 512 token rows per core, at most 32)",
                                 placeholder: "NUMBER")

    /// The texts of a list `text` argument (each a string), or nil when `text` is not a list.
    static func texts(_ arguments: Arguments) throws(NotebookError) -> [String]? {
        guard case .list(let values) = arguments["text"] else { return nil }
        guard !values.isEmpty else { throw arguments.error("\(arguments.verb) needs at least one text in the list", at: "text") }
        var texts: [String] = []
        for (k, value) in values.enumerated() {
            guard case .string(let text) = value else {
                throw arguments.error("\(arguments.verb)'s list of texts holds a \(value.typeName) at [\(k)]; give strings", at: "text")
            }
            texts.append(text)
        }
        return texts
    }

    /// Samples one sequence per text, `batch:` at a time, the k-th with seed `seed + k` (each
    /// equal to `sample` of that text with that seed). Ctrl-C stops it before the next frame: the
    /// finished sequences are kept (said in a line; the cell then ends as interrupted), and none
    /// finished is an interruption.
    static func generate(_ model: HybridSignModel, texts: [String], _ arguments: Arguments, options: SamplingOptions, context: VerbContext,
                         onFinished: (Int, PoseSequence) -> Void = { _, _ in },
                         onFrame: (Int, GeneratedFrame) -> Void = { _, _ in }) throws(NotebookError) -> [PoseSequence] {
        var batch: Int?
        if arguments.has("batch") { batch = try arguments.integer("batch", in: 1...Sampler.maximumBatchSize) }
        let interrupt = context.interrupt
        if case .fixed(let count) = options.frames, let warning = LengthAdvice.fixedFrames(count, config: model.config) {
            context.output.printError("warning: " + warning)
        }
        let sampler = Sampler(model: model)
        let items = BatchItem.items(texts: texts, options: options)
        for (k, item) in items.enumerated() {
            do throws(HybridSignError) { try sampler.check(item) } catch {
                throw arguments.error("text [\(k)]: \(error.description)", at: error.isAboutSigner ? "signer" : "text")
            }
        }
        let results: [PoseSequence?]
        do throws(HybridSignError) {
            results = try sampler.sample(items, options: options, batchSize: batch, onFinished: onFinished, onFrame: onFrame,
                                         shouldStop: { interrupt.isSet })
        } catch {
            throw notebookError(error, arguments)
        }
        let kept = results.compactMap { $0 }.map { sequence in
            var named = sequence
            if named.name == nil { named.name = named.text.map { "\($0) (\(model.config.mode.rawValue))" } }
            return named
        }
        if kept.count < texts.count {
            guard !kept.isEmpty else { throw NotebookError.interrupted(at: arguments.callRange) }
            context.output.clearStatus()
            context.output.print("stopped by Ctrl-C: kept the \(kept.count) of \(texts.count) sequences finished so far")
        }
        return kept
    }
}
