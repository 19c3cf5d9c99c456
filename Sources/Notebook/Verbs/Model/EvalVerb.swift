import Evaluation
import HybridSign
import PoseData

/// `eval MODEL|LIST on DATASET …`: DTW-MJE, MJE and streaming speed, as `hybridsign eval --json`.
struct EvalVerb: Verb {
    static let columns = ["model", "dtw_mje", "dtw_mje_norm", "dtw_mje_hands", "dtw_mje_nearest", "mje", "ttff_s", "fps", "samples"]
    /// Added after ``columns`` when `seeds:` is given, as `eval --seeds K --json`'s `diversity` object.
    static let diversityColumns = ["seeds", "distinct_nearest", "pairwise_dtw_mje", "nearest_dtw_mje"]

    let signature = VerbSignature(
        name: "eval",
        summary: "sample a model for every text of a dataset and measure DTW-MJE, MJE, time to first frame and fps",
        positional: [Parameter("model", .object("model") | .list, "a trained model, or a list of them (one row each)",
                               placeholder: "MODEL|LIST")],
        connectors: [Connector("on", Parameter("data", .dataset, "the references (their texts are sampled)"))],
        named: [SamplingArguments.steps, SamplingArguments.seed, SamplingArguments.temperature,
                Parameter("signer", .string, "sign every sample as this signer, or \"own\": as its reference's own signer (default: none)",
                          placeholder: "CODE|own"),
                Parameter("limit", .number, "evaluate only the first N samples"),
                Parameter("seeds", .number, "also sample each text with this many seeds (seed, seed+1, …) and measure the diversity: distinct nearest realisations per text, mean pairwise DTW-MJE between the samples, their mean DTW-MJE to the nearest realisation")],
        returns: "a table: model, dtw_mje, dtw_mje_norm, dtw_mje_hands, dtw_mje_nearest, mje, ttff_s, fps, samples (as hybridsign eval --json); with seeds: also seeds, distinct_nearest, pairwise_dtw_mje, nearest_dtw_mje",
        examples: ["eval m on test", "let t = eval [h, a] on test limit: 20", "(eval m on dev steps: 2).dtw_mje",
                   "eval m on test signer: \"own\"", "eval m on test seeds: 4"])

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
        let seeds = arguments.has("seeds") ? try arguments.integer("seeds", in: 1...1000) : nil
        if seeds != nil && ownSigner {
            throw arguments.error("seeds: samples each text several times with one signer or none; give signer: CODE or leave it out, not \"own\"", at: "seeds")
        }
        let evaluated = min(limit ?? data.count, data.count)
        // Progress counts generated sequences: the evaluation's, then each text's seeds (at most one text per sample).
        let perModel = evaluated + (seeds ?? 0) * evaluated
        let total = perModel * models.count
        var table = Table(columns: Self.columns + (seeds == nil ? [] : Self.diversityColumns))
        var notes: [String] = []
        let progress = context.progress("eval", total: total)
        for (index, value) in models.enumerated() {
            let model = try value.requireFitted(arguments, "model")
            var options = try SamplingArguments.options(arguments, signature: signature, defaults: model.samplingDefaults)
            options.signer = ownSigner ? nil : signer
            do { _ = try model.signerID(options.signer) } catch { throw notebookError(error, arguments, at: "signer") }
            var result: EvaluationRunner.Result
            do {
                let done = index * perModel
                let runner = EvaluationRunner(model: model, options: options, signerFromReference: ownSigner)
                result = try runner.run(on: data, limit: limit, skippingUnknownText: true, shouldStop: { context.interrupt.isSet },
                                        progress: { progress.update(done + $0) })
                if let seeds {
                    result.diversity = try runner.diversity(on: data, seeds: seeds, limit: limit, shouldStop: { context.interrupt.isSet },
                                                            progress: { progress.update(done + evaluated + $0) })
                }
            } catch is CancellationError {
                throw NotebookError.interrupted(at: arguments.callRange)
            } catch let error as HybridSignError {
                throw notebookError(error, arguments, at: error.isAboutSigner && !ownSigner ? "signer" : "data")
            }
            let variable = index < written.count ? written[index] : nil
            var row = Self.row(result, name: variable.map { "\($0): \(Self.name(of: value))" } ?? Self.name(of: value))
            if seeds != nil { row += Self.diversityRow(result.diversity) }
            table.append(row)
            if let note = result.skippedNote { notes.append(note) }
        }
        progress.finish()
        if !notes.isEmpty { table.footnote = notes.joined(separator: "\n") }
        return .table(table)
    }

    /// A result as a row of ``columns``; missing figures are `none`.
    static func row(_ result: EvaluationRunner.Result, name: String) -> [Value] {
        let m = result.metrics, t = result.timing
        return [.string(name), number(m?.dtwMJE), number(m?.dtwMJENormalized), number(m?.dtwMJEHands), number(m?.dtwMJENearest), number(m?.mje),
                number(t?.timeToFirstFrame), number(t?.framesPerSecond), .number(Double(result.samples))]
    }

    /// The ``diversityColumns`` of a result; `none` where a figure is missing (no text had a reference with joints).
    static func diversityRow(_ diversity: DiversityMetrics?) -> [Value] {
        guard let d = diversity else { return Array(repeating: .none, count: diversityColumns.count) }
        return [.number(Double(d.seeds)), number(d.distinctNearest), number(d.pairwiseDTWMJE), number(d.nearestDTWMJE)]
    }

    /// A finite figure as a number, anything else as `none`.
    private static func number(_ value: Double?) -> Value { value.flatMap { $0.isFinite ? Value.number($0) : nil } ?? .none }

    /// `hybrid D=32×1 step 100`: enough to tell the rows of a comparison apart.
    static func name(of value: ModelValue) -> String {
        "\(value.config.mode.rawValue) D=\(value.config.dim)×\(value.config.depth) step \(value.step)"
    }
}
