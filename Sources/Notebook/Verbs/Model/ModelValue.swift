import Foundation
import HybridSign
import PoseData
import TextEncoders

/// A model in the notebook: its configuration and, once fitted to training data, the
/// HybridSign model (network, normaliser, vocabulary), plus the training it has had.
///
/// `model` makes one unfitted (unless given `on:`); the first `train` fits the normaliser, the
/// vocabulary and the length model on its data, builds the network and starts a training run;
/// later `train`s continue that run (weights, optimiser and averaged weights as they are). `load`
/// of a `.safetensors` file makes a fitted one, with the step count and loss history it was saved with.
final class ModelValue: NotebookObject {
    /// The architecture; once fitted, the network's own (its layout is the data's).
    private(set) var config: ModelConfig
    /// Seed of the initial weights (and the default seed of training).
    let seed: UInt64
    /// The fitted model, nil until the first `train` (or `model … on:`).
    private(set) var model: HybridSignModel?
    /// The training run of this session's `train`s, nil until the first.
    private(set) var run: TrainingRun?
    /// The steps and history the model was loaded with (none for a model made in the session).
    private let loadedStep: Int
    private let loadedHistory: TrainingHistory
    /// What the model was trained on, in order (`dev (40 samples)`), for `show`.
    var trainedOn: [String] = []
    /// Where the model was loaded from, if it was.
    let source: String?

    /// Whether `layout:` fixed the layout (then training data must follow it).
    let layoutIsExplicit: Bool
    /// The pretrained text encoder an unfitted model will read (`model … text_encoder:`).
    let textEncoder: PretrainedTextEncoder?

    /// An unfitted model.
    init(config: ModelConfig, seed: UInt64, layoutIsExplicit: Bool = false, textEncoder: PretrainedTextEncoder? = nil) {
        self.config = config
        self.seed = seed
        self.layoutIsExplicit = layoutIsExplicit
        self.textEncoder = textEncoder
        loadedStep = 0
        loadedHistory = TrainingHistory()
        source = nil
    }

    /// A fitted model (loaded from a file, or fitted at once), trained for `step` steps before.
    init(model: HybridSignModel, seed: UInt64, step: Int, history: TrainingHistory = TrainingHistory(), source: String?) {
        self.model = model
        config = model.config
        self.seed = seed
        loadedStep = step
        loadedHistory = history
        self.source = source
        layoutIsExplicit = true
        textEncoder = model.textEncoder
    }

    /// Optimiser steps taken, over every `train` (and before loading).
    var step: Int { loadedStep + (run?.trainer.step ?? 0) }

    /// The loss history over every `train` (and before loading), steps counted as ``step`` counts them.
    var history: TrainingHistory {
        guard let run else { return loadedHistory }
        var history = loadedHistory
        for var record in run.history.records {
            record.step += loadedStep
            history.append(record)
        }
        return history
    }

    /// The training run that `train` continues on `dataset` with `options`: made (and the model
    /// fitted) by the first call, continued by later ones.
    func trainingRun(on dataset: PoseDataset, options: TrainingOptions) throws(HybridSignError) -> TrainingRun {
        if let run {
            try run.trainer.continueTraining(on: dataset, options: options)
            return run
        }
        let made = TrainingRun(trainer: try Trainer(model: try fit(dataset), dataset: dataset, options: options))
        run = made
        return made
    }

    /// The seed `train` uses when given none: the run's, so a run goes on with its data order.
    var trainingSeed: UInt64 { run?.trainer.options.seed ?? seed }

    /// Fits the normaliser, vocabulary and length model on `dataset` and builds the network.
    func fit(_ dataset: PoseDataset) throws(HybridSignError) -> HybridSignModel {
        if let model { return model }
        if layoutIsExplicit, dataset.layout.jointCount != config.layout.jointCount || dataset.layout.parts != config.layout.parts {
            throw HybridSignError.invalidData(
                "the data follows layout '\(dataset.layout.name)' (\(dataset.layout.jointCount) joints); the model was made for '\(config.layout.name)' (\(config.layout.jointCount) joints)")
        }
        let fitted = try HybridSignModel(config: config, fitting: dataset, seed: seed, textEncoder: textEncoder)
        model = fitted
        config = fitted.config
        return fitted
    }

    var typeName: String { "model" }

    var isFitted: Bool { model != nil }

    var parameterCount: Int? { model?.network.parameterCount }

    var lastLoss: Double? {
        (run?.history.records.last ?? loadedHistory.records.last).map { Double($0.loss.total) }
    }

    /// The history as the table `m.history` shows: one row per step, in ``TrainingHistory/columns``.
    var historyTable: Table {
        var table = Table(columns: TrainingHistory.columns)
        for record in history.records {
            let l = record.loss
            table.append([.number(Double(record.step)), .number(Double(l.total)), .number(Double(l.ar)), .number(Double(l.flow)),
                          .number(Double(l.flowError)), .number(Double(l.confidence)), .number(Double(l.progress)),
                          .number(Double(record.learningRate)), record.developmentDTWMJE.map { .number(Double($0)) } ?? .none])
        }
        return table
    }

    var summary: String {
        var text = "model \(config.mode.rawValue) (D=\(config.dim), depth \(config.depth), \(config.heads) heads, \(config.tokens.rawValue) tokens"
        if let parameterCount { text += ", \(Self.count(parameterCount)) parameters" }
        text += ")"
        if !isFitted { return text + ", not trained yet" }
        text += step == 0 ? ", untrained" : ", step \(step)"
        if let lastLoss { text += ", loss \(formatNumber(lastLoss, significantDigits: 4))" }
        return text
    }

    func show() -> String {
        var lines = [summary, ""]
        var configuration = Table(title: "configuration", columns: ["setting", "value"])
        for (name, value) in configRows { configuration.append([.string(name), value]) }
        lines.append(configuration.rendered())
        lines.append("")
        if let model {
            lines.append(parameterTable(model).rendered())
            lines.append("")
            let features = model.textEncoder.map { "text encoder \($0.name) (\($0.family.rawValue), \($0.width) wide)" } ?? "sentence features (\(config.sentenceWidth) wide)"
            let vocabulary = model.vocabulary.map { "\($0.units.count) \($0.unit.rawValue)" } ?? features
            lines.append("vocabulary: \(vocabulary)")
            lines.append("layout: \(config.layout.name) (\(config.layout.jointCount) joints), \(formatNumber(model.fps)) fps")
            if config.signerConditioning { lines.append("signers: \(model.signers.joined(separator: ", ")) (or none)") }
            lines.append("sampling defaults: \(model.samplingDefaults.summary)")
        } else {
            lines.append("not fitted yet: the first `train` fits the normaliser and vocabulary on its data and builds the network")
        }
        var training = "training: step \(step)"
        if let lastLoss { training += ", last loss \(formatNumber(lastLoss, significantDigits: 4))" }
        if !trainedOn.isEmpty { training += ", on " + trainedOn.joined(separator: ", then ") }
        if let source { training += "; loaded from \(source)" }
        lines.append(training)
        return lines.joined(separator: "\n")
    }

    /// Parameters per module of the network (per-part copies such as `experts.0`, `experts.1`
    /// counted together), with each module's share of the total.
    func parameterTable(_ model: HybridSignModel) -> Table {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for (name, parameter) in model.network.namedParameters() {
            let module = String(name.prefix { $0 != "." })
            if counts[module] == nil { order.append(module) }
            counts[module, default: 0] += parameter.value.count
        }
        let total = max(model.network.parameterCount, 1)
        var table = Table(title: "parameters", columns: ["module", "parameters", "share"])
        for module in order {
            let count = counts[module] ?? 0
            table.append([.string(module), .number(Double(count)),
                          .string(formatNumber(100 * Double(count) / Double(total), significantDigits: 2) + "%")])
        }
        table.append([.string("total"), .number(Double(model.network.parameterCount)), .string("100%")])
        return table
    }

    /// The configuration as (name, value) rows: what `show` lists and `m.config` holds.
    private var configRows: [(String, Value)] {
        [("mode", .string(config.mode.rawValue)), ("dim", .number(Double(config.dim))), ("depth", .number(Double(config.depth))),
         ("heads", .number(Double(config.heads))), ("mlp", .number(Double(config.mlp))), ("tokens", .string(config.tokens.rawValue)),
         ("text", .string(config.text.rawValue)), ("experts", .bool(config.experts)), ("confidence", .bool(config.confidence)),
         ("fusion", .bool(config.fusion)), ("sigma", .number(Double(config.sigma))),
         ("flow_source", .string(config.flowSource.rawValue)), ("flow_backbone", .string(config.flowBackbone.rawValue)),
         ("flow_weight", .number(Double(config.flowWeight))), ("flow_fraction", .number(Double(config.flowFraction))),
         ("detach_history", .bool(config.detachHistory)), ("history_noise", .number(Double(config.historyNoise))),
         ("signer_conditioning", .bool(config.signerConditioning)), ("signer_dropout", .number(Double(config.signerDropout))),
         ("max_frames", .number(Double(config.maxFrames))),
         ("layout", .string(config.layout.name)), ("seed", .number(Double(seed)))]
    }

    var memberNames: [String] { ["config", "history", "mode", "params", "step", "loss", "vocabulary", "layout", "signers"] }

    func member(_ name: String) -> Value? {
        switch name {
        case "config":
            var table = Table(columns: ["setting", "value"])
            for (name, value) in configRows { table.append([.string(name), value]) }
            return .table(table)
        case "history": return .table(historyTable)
        case "mode": return .string(config.mode.rawValue)
        case "params": return parameterCount.map { .number(Double($0)) } ?? Value.none
        case "step": return .number(Double(step))
        case "loss": return lastLoss.map(Value.number) ?? Value.none
        case "vocabulary": return model?.vocabulary.map { .number(Double($0.units.count)) } ?? Value.none
        case "layout": return .string(config.layout.name)
        case "signers": return .list((model?.signers ?? []).map(Value.string))
        default: return nil
        }
    }

    /// `3.4M`, `812k`, `950`.
    static func count(_ n: Int) -> String {
        if n >= 1_000_000 { return formatNumber(Double(n) / 1e6, significantDigits: 3) + "M" }
        if n >= 10_000 { return formatNumber(Double(n) / 1e3, significantDigits: 3) + "k" }
        return String(n)
    }

    /// The fitted model, or an error pointing at the argument `name` that says to train first.
    func requireFitted(_ arguments: Arguments, _ name: String) throws(NotebookError) -> HybridSignModel {
        guard let model else {
            throw arguments.error("this model has not been trained yet, so it has no vocabulary or weights", at: name,
                                  hint: "train it first: train \(arguments.variableName(of: name) ?? "m") on DATASET steps: 100")
        }
        return model
    }
}

extension Arguments {
    /// The model value of parameter `name` (already type-checked as a model).
    func model(_ name: String) throws(NotebookError) -> ModelValue {
        guard case .object(let object) = self[name], let model = object as? ModelValue else {
            throw error("\(verb) needs a model for '\(name)', got \(withArticle(self[name].typeName))", at: name)
        }
        return model
    }

    /// The parameter as a dataset.
    func dataset(_ name: String) throws(NotebookError) -> PoseDataset {
        guard case .dataset(let dataset) = self[name] else {
            throw error("\(verb) needs a dataset for '\(name)', got \(withArticle(self[name].typeName))", at: name)
        }
        return dataset
    }

    /// A seed: a whole number ≥ 0.
    func seed(_ name: String) throws(NotebookError) -> UInt64 {
        UInt64(try integer(name, in: 0...Int(Int32.max)))
    }
}

/// A HybridSign error as a notebook error at the call (its messages say what to do).
func notebookError(_ error: HybridSignError, _ arguments: Arguments, at name: String? = nil) -> NotebookError {
    if let name { return arguments.error(error.description, at: name) }
    return NotebookError(error.description, at: arguments.callRange)
}
