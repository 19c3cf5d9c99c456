/// `head VALUE [N]`: the first N elements, of the same kind as the value.
struct HeadVerb: Verb {
    static let defaultCount = 5

    let signature = VerbSignature(
        name: "head",
        summary: "the first N elements (5 unless given) of a list, range, dataset, table or string, as the same kind of value",
        positional: [Parameter("value", ValueType(["list", "range", "dataset", "table", "string"]), "the collection", placeholder: "VALUE"),
                     Parameter("count", .number, "how many elements (a negative N leaves out the last -N)", optional: true,
                               placeholder: "N")],
        returns: "a list, dataset, table or string, like value[0:N]",
        examples: ["head d 5", "show (head m.history 3)", "for s in head dev 3 { render s to \"out/\" + s.name }"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let count = arguments.has("count") ? try arguments.integer("count") : Self.defaultCount
        return try arguments["value"].slice(from: nil, to: count)
    }
}
