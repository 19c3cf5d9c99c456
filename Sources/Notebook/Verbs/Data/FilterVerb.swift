import PoseData

/// `filter DATASET text: … signer: … name: … min_frames: … max_frames: …`: the samples that match
/// every criterion given.
struct FilterVerb: Verb {
    let signature = VerbSignature(
        name: "filter",
        summary: "the samples of a dataset that match every criterion given (texts, signers, names, lengths)",
        positional: [Parameter("dataset", .dataset, "the dataset to select from")],
        named: [Parameter("text", .string | .list,
                          "keep samples whose text is this one (or one of these); a text no sample has exactly matches ignoring case, as find does",
                          placeholder: "TEXT|LIST"),
                Parameter("signer", .string | .list, "keep samples of this signer or sign language code (or one of these)",
                          placeholder: "SIGNER|LIST"),
                Parameter("name", .string | .list, "keep samples with this name (or one of these)", placeholder: "NAME|LIST"),
                Parameter("min_frames", .number, "keep samples with at least this many frames"),
                Parameter("max_frames", .number, "keep samples with at most this many frames")],
        returns: "a dataset (possibly empty), samples in their original order",
        examples: ["filter dev text: \"Uhr\"", "filter dev text: [\"Uhr\", \"Ohr\"]", "filter dev signer: \"gsg\" max_frames: 60"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        guard case .dataset(let dataset) = arguments["dataset"] else { return .none }
        let criteria = ["text", "signer", "name", "min_frames", "max_frames"].filter(arguments.has)
        guard !criteria.isEmpty else {
            throw arguments.error("filter needs at least one criterion", at: "dataset",
                                  hint: "for example: filter \(arguments.variableName(of: "dataset") ?? "d") text: \"Uhr\"  (text:, signer:, name:, min_frames:, max_frames:)")
        }
        let texts = arguments.has("text") ? TextMatch(try arguments.strings("text"), in: dataset) : nil
        let signers = arguments.has("signer") ? Set(try arguments.strings("signer")) : nil
        let names = arguments.has("name") ? Set(try arguments.strings("name")) : nil
        let minimum = arguments.has("min_frames") ? try arguments.integer("min_frames", in: 0...Int.max) : 0
        let maximum = arguments.has("max_frames") ? try arguments.integer("max_frames", in: 0...Int.max) : Int.max
        func matches(_ value: String?, _ wanted: Set<String>?) -> Bool {
            guard let wanted else { return true }
            return value.map(wanted.contains) ?? false
        }
        return .dataset(dataset.filterSummaries { sample in
            (texts?.matches(sample.text) ?? true) && matches(sample.signer, signers) && matches(sample.name, names)
                && sample.frameCount >= minimum && sample.frameCount <= maximum
        })
    }
}

/// The texts `filter text:` keeps: a wanted text that some sample has exactly matches exactly
/// (`Uhr` is not `uhr`); one that no sample has matches ignoring case, the rule `find` follows.
struct TextMatch {
    private var exact: Set<String> = []
    private var folded: Set<String> = []

    init(_ wanted: [String], in dataset: PoseDataset) {
        let present = Set(dataset.samples.summaries.compactMap(\.text))
        for text in wanted {
            if present.contains(text) { exact.insert(text) } else { folded.insert(text.lowercased()) }
        }
    }

    func matches(_ text: String?) -> Bool {
        guard let text else { return false }
        return exact.contains(text) || folded.contains(text.lowercased())
    }
}
