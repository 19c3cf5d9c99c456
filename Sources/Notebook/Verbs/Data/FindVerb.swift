import PoseData

/// `find DATASET TEXT`: the sample with that name or text (``PoseData/PoseDataset/index(matching:)``).
struct FindVerb: Verb {
    let signature = VerbSignature(
        name: "find",
        summary: "the sample of a dataset with the given name, else the first with that text (also ignoring case)",
        positional: [Parameter("dataset", .dataset, "where to look"),
                     Parameter("key", .string, "a sample's name or text", placeholder: "TEXT|NAME")],
        returns: "a sample",
        examples: ["find dev \"Uhr\"", "find dev \"gsg-uhr-0\"", "render (find dev \"Uhr\") to \"out/uhr\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        guard case .dataset(let dataset) = arguments["dataset"] else { return .none }
        let key = try arguments.string("key")
        if let index = dataset.index(matching: key) { return .sample(dataset[index]) }
        let candidates = dataset.samples.compactMap(\.text) + dataset.samples.compactMap(\.name)
        let suggestion = Suggestions.didYouMean(key, among: candidates)
        let some = dataset.samples.prefix(6).map { $0.text ?? $0.name ?? "?" }.map { "\"\($0)\"" }.joined(separator: ", ")
        throw arguments.error("no sample of the dataset (\(dataset.count) samples) has the name or text \"\(key)\"\(suggestion)",
                              at: "key", hint: dataset.count == 0 ? "the dataset is empty" : "some texts: \(some) … (\(arguments.variableName(of: "dataset") ?? "d").texts lists them all)")
    }
}
