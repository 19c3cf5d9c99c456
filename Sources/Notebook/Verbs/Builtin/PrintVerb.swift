/// `print VALUE…`: prints values on one line, strings without quotes.
struct PrintVerb: Verb {
    let signature = VerbSignature(
        name: "print",
        summary: "print values on one line, separated by spaces (strings without quotes)",
        positional: [Parameter("values", .any, "the values to print", variadic: true)],
        examples: ["print \"frames:\" d.count", "for w in [\"Baum\", \"Haus\"] { print w }"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        context.output.print(arguments.rest.map(\.value.plainText).joined(separator: " "))
        return .none
    }
}
