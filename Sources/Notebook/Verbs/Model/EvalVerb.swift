import HybridSign
import PoseData

/// `eval MODEL|LIST on DATASET …`: DTW-MJE, MJE and streaming speed, as `hybridsign eval --json`.
struct EvalVerb: Verb {
    static let columns = ["model", "dtw_mje", "dtw_mje_norm", "dtw_mje_hands", "dtw_mje_nearest", "mje", "ttff_s", "fps", "samples"]

    let signature = VerbSignature(
        name: "eval",
        summary: "sample a model for every text of a dataset and measure DTW-MJE, MJE, time to first frame and fps",
        positional: [Parameter("model", .object("model") | .list, "a trained model, or a list of them (one row each)",
                               placeholder: "MODEL|LIST")],
        connectors: [Connector("on", Parameter("data", .dataset, "the references (their texts are sampled)"))],
        named: [SamplingArguments.steps, SamplingArguments.seed, SamplingArguments.temperature,
                Parameter("signer", .string, "sign every sample as this signer, or \"own\": as its reference's own signer (default: none)",
                          placeholder: "CODE|own"),
                Parameter("limit", .number, "evaluate only the first N samples")],
        returns: "a table: model, dtw_mje, dtw_mje_norm, dtw_mje_hands, dtw_mje_nearest, mje, ttff_s, fps, samples (as hybridsign eval --json)",
        examples: ["eval m on test", "let t = eval [h, a] on test limit: 20", "(eval m on dev steps: 2).dtw_mje",
                   "eval m on test signer: \"own\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        var models: [ModelValue] = []
        // Rows are named by the variables the models were written as (`eval [tm, ck] on test`).
        let written: [String?]
        if case .list = arguments["model"] {
            written = arguments.elementVariableNames(of: "model") ?? []
        } else {
            written = [arguments.variableName(of: "model")]
        }
        switch arguments["model"] {
        case .list(let items):
            for (index, item) in items.enumerated() {
                guard case .object(let object) = item, let model = object as? ModelValue else {
                    throw arguments.error("eval needs models; element \(index) of the list is \(withArticle(item.typeName))", at: "model")
                }
                models.append(model)
            }
            guard !models.isEmpty else { throw arguments.error("the list of models is empty", at: "model") }
        default:
            models = [try arguments.model("model")]
        }
        let data = try arguments.dataset("data")
        let signer = arguments.has("signer") ? try arguments.string("signer") : nil
        let ownSigner = signer == "own"
        let limit = arguments.has("limit") ? try arguments.integer("limit", in: 1...Int.max) : nil
        let total = min(limit ?? data.count, data.count) * models.count
        var table = Table(columns: Self.columns)
        var notes: [String] = []
        let progress = context.progress("eval", total: total)
        for (index, value) in models.enumerated() {
            let model = try value.requireFitted(arguments, "model")
            var options = try SamplingArguments.options(arguments, signature: signature, defaults: model.samplingDefaults)
            options.signer = ownSigner ? nil : signer
            do { _ = try model.signerID(options.signer) } catch { throw notebookError(error, arguments, at: "signer") }
            let result: EvaluationRunner.Result
            do {
                let done = index * min(limit ?? data.count, data.count)
                result = try EvaluationRunner(model: model, options: options, signerFromReference: ownSigner)
                    .run(on: data, limit: limit, skippingUnknownText: true, shouldStop: { context.interrupt.isSet }, progress: { progress.update(done + $0) })
            } catch is CancellationError {
                throw NotebookError.interrupted(at: arguments.callRange)
            } catch let error as HybridSignError {
                throw notebookError(error, arguments, at: error.isAboutSigner && !ownSigner ? "signer" : "data")
            }
            let variable = index < written.count ? written[index] : nil
            table.append(Self.row(result, name: variable.map { "\($0): \(Self.name(of: value))" } ?? Self.name(of: value)))
            if let note = result.skippedNote { notes.append(note) }
        }
        progress.finish()
        if !notes.isEmpty { table.footnote = notes.joined(separator: "\n") }
        return .table(table)
    }

    /// A result as a row of ``columns``; missing figures are `none`.
    static func row(_ result: EvaluationRunner.Result, name: String) -> [Value] {
        func number(_ value: Double?) -> Value { value.flatMap { $0.isFinite ? Value.number($0) : nil } ?? .none }
        let m = result.metrics, t = result.timing
        return [.string(name), number(m?.dtwMJE), number(m?.dtwMJENormalized), number(m?.dtwMJEHands), number(m?.dtwMJENearest), number(m?.mje),
                number(t?.timeToFirstFrame), number(t?.framesPerSecond), .number(Double(result.samples))]
    }

    /// `hybrid D=32×1 step 100`: enough to tell the rows of a comparison apart.
    static func name(of value: ModelValue) -> String {
        "\(value.config.mode.rawValue) D=\(value.config.dim)×\(value.config.depth) step \(value.step)"
    }
}
