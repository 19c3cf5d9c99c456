import PoseData

/// `split DATASET fractions: [0.8, 0.2] seed: 1`: a seeded random split into parts.
struct SplitVerb: Verb {
    let signature = VerbSignature(
        name: "split",
        summary: "split a dataset at random (seeded) into parts of the given fractions",
        positional: [Parameter("dataset", .dataset, "the dataset to split")],
        named: [Parameter("fractions", .list, "the parts' shares, positive and summing to 1, for example [0.8, 0.2]", required: true),
                Parameter("seed", .number, "the shuffle's seed: the same seed gives the same split", default: .number(1))],
        returns: "a list of datasets, one per fraction",
        examples: ["let parts = split words fractions: [0.8, 0.2] seed: 1", "let training = parts[0]"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        guard case .dataset(let dataset) = arguments["dataset"] else { return .none }
        let fractions = try arguments.numbers("fractions")
        let seed = try arguments.integer("seed", in: 0...Int.max)
        do {
            return .list(try dataset.split(fractions: fractions, seed: UInt64(seed)).map(Value.dataset))
        } catch {
            throw arguments.error(error.description, at: "fractions")
        }
    }
}
