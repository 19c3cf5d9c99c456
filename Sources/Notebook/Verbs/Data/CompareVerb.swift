import Evaluation
import PoseData

/// `compare A vs B`: DTW-MJE (raw, shoulder-normalised, hands) and MJE between two samples, or
/// between the paired samples of two datasets with their mean.
struct CompareVerb: Verb {
    static let columns = ["a", "b", "frames_a", "frames_b", "dtw_mje", "dtw_mje_norm", "dtw_mje_hands", "mje"]

    let signature = VerbSignature(
        name: "compare",
        summary: "DTW-MJE (raw, normalised by shoulder width, hands) and MJE between two samples or two datasets",
        positional: [Parameter("first", .sample | .dataset, "the generated (or first) sample or dataset")],
        connectors: [Connector("vs", Parameter("second", .sample | .dataset, "the reference sample or dataset"))],
        returns: "a table: a row per pair (a, b, frames_a, frames_b, dtw_mje, dtw_mje_norm, dtw_mje_hands, mje), then a mean row for datasets",
        examples: ["compare (find dev \"Uhr\") vs (find dev \"Ohr\")", "compare generated vs dev",
                   "(compare a vs b).dtw_mje[0]"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        // A dataset of one sample (a loaded .pose file) counts as that sample beside a sample, as
        // it does for render.
        var (first, second) = (arguments["first"], arguments["second"])
        switch (first, second) {
        case (.dataset(let a), .sample) where a.count == 1: first = .sample(a[0])
        case (.sample, .dataset(let b)) where b.count == 1: second = .sample(b[0])
        default: break
        }
        switch (first, second) {
        case (.sample(let a), .sample(let b)):
            var table = Table(title: "compare \(a.label()) vs \(b.label())", columns: Self.columns)
            table.append(try row(a, b, labels: (a.label(), b.label()), arguments: arguments).cells)
            table.footnote = Self.footnote
            return .table(table)
        case (.dataset(let a), .dataset(let b)):
            return .table(try compareDatasets(a, b, arguments: arguments, context: context))
        case (let first, let second):
            let dataset = if case .dataset = first { arguments.variableName(of: "first") } else { arguments.variableName(of: "second") }
            let d = dataset ?? "(…)"
            throw arguments.error("compare needs two samples or two datasets, got \(withArticle(first.typeName)) and \(withArticle(second.typeName))",
                                  at: "second", hint: "compare a sample with one sample (\(d)[3], find \(d) \"Uhr\"), a dataset with a dataset")
        }
    }

    static let footnote = "DTW-MJE and MJE in data units; dtw_mje_norm divides by the reference's shoulder width (Docs/evaluation.md)"

    private func row(_ a: PoseSequence, _ b: PoseSequence, labels: (String, String),
                     arguments: Arguments) throws(NotebookError) -> (cells: [Value], metrics: SequenceMetrics?) {
        let metrics: SequenceMetrics?
        do {
            metrics = try SequenceMetrics.compare(a, with: b)
        } catch {
            throw arguments.error("cannot compare \(labels.0) with \(labels.1): \(error.description)", at: "second")
        }
        func number(_ value: Double?) -> Value { value.map(Value.number) ?? .none }
        return ([.string(labels.0), .string(labels.1), .number(Double(a.frameCount)), .number(Double(b.frameCount)),
                 number(metrics?.dtwMJE), number(metrics?.dtwMJENormalized), number(metrics?.dtwMJEHands), number(metrics?.mje)],
                metrics)
    }

    private func compareDatasets(_ a: PoseDataset, _ b: PoseDataset, arguments: Arguments,
                                 context: VerbContext) throws(NotebookError) -> Table {
        guard a.layout == b.layout else {
            throw arguments.error("cannot compare a '\(a.layout.name)' dataset with a '\(b.layout.name)' dataset: the layouts differ",
                                  at: "second", hint: "load one of them with layout: \"\(b.layout.name)\" to convert it")
        }
        let (pairs, pairing) = try Self.pairs(a, b, arguments: arguments)
        var table = Table(title: "compare: \(pairs.count) pairs (\(pairing))", columns: Self.columns)
        var metrics: [SequenceMetrics] = []
        let progress = context.progress("compare", total: pairs.count)
        defer { context.output.clearStatus() }
        for (done, pair) in pairs.enumerated() {
            try context.checkInterrupt()
            let result = try row(a[pair.0], b[pair.1], labels: (a[pair.0].label(index: pair.0), b[pair.1].label(index: pair.1)),
                                 arguments: arguments)
            table.append(result.cells)
            if let value = result.metrics { metrics.append(value) }
            progress.update(done + 1)
        }
        if let mean = DatasetMetrics(averaging: metrics) {
            func meanFrames(_ dataset: PoseDataset, _ side: [Int]) -> Value {
                .number((Double(side.reduce(0) { $0 + dataset[$1].frameCount }) / Double(max(side.count, 1)) * 10).rounded() / 10)
            }
            table.append([.string("mean"), .string("\(mean.samples) pairs"), meanFrames(a, pairs.map(\.0)), meanFrames(b, pairs.map(\.1)),
                          .number(mean.dtwMJE),
                          mean.dtwMJENormalized.map(Value.number) ?? .none, mean.dtwMJEHands.map(Value.number) ?? .none,
                          .number(mean.mje)])
        }
        table.footnote = Self.footnote + "; the last row is the mean"
        return table
    }

    /// Index pairs: by name when both datasets name their samples and some names match, else by position.
    static func pairs(_ a: PoseDataset, _ b: PoseDataset,
                      arguments: Arguments) throws(NotebookError) -> (pairs: [(Int, Int)], how: String) {
        if a.samples.allSatisfy({ $0.name != nil }), b.samples.allSatisfy({ $0.name != nil }) {
            var indexInB: [String: Int] = [:]
            for (index, sample) in b.samples.enumerated() where indexInB[sample.name!] == nil { indexInB[sample.name!] = index }
            let pairs = a.samples.enumerated().compactMap { index, sample in indexInB[sample.name!].map { (index, $0) } }
            if !pairs.isEmpty {
                let unmatched = a.count - pairs.count
                return (pairs, "paired by name" + (unmatched > 0 ? "; \(unmatched) of the first dataset's samples have no match" : ""))
            }
        }
        guard a.count == b.count, a.count > 0 else {
            throw arguments.error("cannot pair the samples: the datasets have \(a.count) and \(b.count) samples and no names in common",
                                  at: "second", hint: "compare datasets of the same length (paired by position) or with matching names")
        }
        return (Array(zip(0..<a.count, 0..<b.count)), "paired by position")
    }
}
