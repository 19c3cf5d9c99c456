/// `range [START] END [step: N]`: the whole numbers from START (default 0) up to END.
struct RangeVerb: Verb {
    let signature = VerbSignature(
        name: "range",
        summary: "the whole numbers from START (0 when left out) up to, not including, END",
        positional: [Parameter("first", .number, "END, or START when END follows", placeholder: "START|END"),
                     Parameter("second", .number, "END", optional: true, placeholder: "END")],
        named: [Parameter("step", .number, "the distance between numbers; negative counts down", default: .number(1))],
        returns: "a range (indexable and usable in for loops, without storing its numbers)",
        examples: ["range 5", "range 2 10 step: 2", "for i in range 3 { print i }"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let step = try arguments.integer("step")
        guard step != 0 else { throw arguments.error("range's step must not be 0", at: "step") }
        let first = try arguments.integer("first")
        if arguments.has("second") {
            return .range(NumberRange(start: first, end: try arguments.integer("second"), step: step))
        }
        return .range(NumberRange(start: 0, end: first, step: step))
    }
}
