import PoseData

/// `show VALUE`: prints a readable view of any value.
struct ShowVerb: Verb {
    let signature = VerbSignature(
        name: "show",
        summary: "print a readable view of a value: datasets, samples, tables, lists, models",
        positional: [Parameter("value", .any, "what to show")],
        named: [Parameter("rows", .number, "how many rows of a dataset, table or list to list", default: .number(10))],
        examples: ["show [1, 2, 3]", "show d rows: 20", "show d[3]", "show m.history rows: 5"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let rows = try arguments.integer("rows", in: 0...1_000_000)
        context.output.print(Self.view(of: arguments["value"], rows: rows))
        return .none
    }

    /// The view `show` prints for `value`.
    static func view(of value: Value, rows: Int) -> String {
        switch value {
        case .dataset(let dataset): return PoseViews.dataset(dataset, rows: rows)
        case .sample(let sample): return PoseViews.sample(sample)
        case .table(let table): return table.rendered(maxRows: rows)
        case .object(let object): return object.show()
        case .list(let items): return listView(items, rows: rows)
        case .range(let range):
            let items = (0..<min(range.count, rows)).map { Value.number(Double(range.element(at: $0))) }
            var view = listView(items, rows: rows)
            if range.count > rows { view += "\nfirst \(rows) of \(range.count) numbers" }
            return view
        case .file(let file):
            return "\(file.kind.rawValue) \(file.path)" + (file.caption.map { " — \($0)" } ?? "")
        case .string(let string): return string
        default: return value.displayText
        }
    }

    private static func listView(_ items: [Value], rows: Int) -> String {
        if items.isEmpty { return "[] (empty list)" }
        let samples = items.compactMap { item -> PoseSequence? in
            if case .sample(let sample) = item { return sample }
            return nil
        }
        var table: Table
        if samples.count == items.count {
            table = Table(columns: ["#", "name", "frames", "seconds", "text"])
            for (index, sample) in samples.prefix(rows).enumerated() {
                table.append([.number(Double(index)), sample.name.map(Value.string) ?? .none,
                              .number(Double(sample.frameCount)), .number((sample.duration * 100).rounded() / 100),
                              sample.text.map(Value.string) ?? .none])
            }
        } else {
            table = Table(columns: ["#", "value"])
            for (index, item) in items.prefix(rows).enumerated() {
                table.append([.number(Double(index)), item])
            }
        }
        if items.count > rows { table.footnote = "first \(rows) of \(items.count) elements" }
        return table.rendered()
    }
}
