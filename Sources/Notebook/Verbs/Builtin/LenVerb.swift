/// `len VALUE`: how many elements a collection has.
struct LenVerb: Verb {
    let signature = VerbSignature(
        name: "len",
        summary: "the number of elements of a list, range, dataset, table or string (frames of a sample)",
        positional: [Parameter("value", ValueType(["list", "range", "dataset", "table", "string", "sample"]), "the collection", placeholder: "VALUE")],
        returns: "a number",
        examples: ["len [1, 2, 3]", "len d"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let value = arguments["value"]
        if case .sample(let sample) = value { return .number(Double(sample.frameCount)) }
        return .number(Double(value.count ?? 0))
    }
}
