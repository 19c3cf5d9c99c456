import Foundation
import Render

/// `plot VALUES to FILE.png`: line plots of numbers, lists of numbers, or a table's columns.
struct PlotVerb: Verb {
    let signature = VerbSignature(
        name: "plot",
        summary: "draw numbers as a line plot PNG: a list, a list of lists, or table columns (y against x)",
        positional: [Parameter("data", .list | .table | .range, "numbers, a list of lists of numbers, or a table", placeholder: "LIST|TABLE")],
        connectors: [Connector("to", Parameter("path", .string, "the PNG file to write", placeholder: "FILE.png"))],
        named: [Parameter("x", .string, "a table's column for the x axis (default: step when there is one, else the row number)",
                          placeholder: "COLUMN"),
                Parameter("y", .string | .list, "a table's columns to draw (default: every numeric column but x)", placeholder: "COLUMN|LIST"),
                Parameter("names", .list, "the series' names in the legend (lists of lists)"),
                Parameter("log", .bool, "logarithmic y axis", default: .bool(false)),
                Parameter("title", .string, "the title above the plot"),
                Parameter("xlabel", .string, "the x axis label"),
                Parameter("ylabel", .string, "the y axis label")],
        returns: "the image written (a file value)",
        examples: ["plot [1, 0.5, 0.3] to \"out/loss.png\"", "plot dev.lengths to \"out/lengths.png\" title: \"frames per word\"",
                   "plot history to \"out/curve.png\" x: \"step\" y: [\"loss\"] log: true"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let path = try arguments.string("path")
        guard path.lowercased().hasSuffix(".png") else {
            throw arguments.error("plot writes PNG images; '\(path)' does not end in .png", at: "path", hint: "for example: to \"out/loss.png\"")
        }
        var xLabel: String?
        let series: [LinePlot.Series]
        switch arguments["data"] {
        case .table(let table):
            (series, xLabel) = try tableSeries(table, arguments: arguments)
        case .range(let range):
            series = [LinePlot.Series(name: "", values: (0..<range.count).map { Double(range.element(at: $0)) })]
        case .list(let items):
            series = try listSeries(items, arguments: arguments)
        default:
            return .none
        }
        guard series.contains(where: { $0.y.contains { $0.isFinite } }) else {
            throw arguments.error("plot has no numbers to draw", at: "data", hint: "give a list of numbers, a list of lists of numbers, or a table")
        }
        let plot = LinePlot(series: series, title: arguments.has("title") ? try arguments.string("title") : nil,
                            xLabel: arguments.has("xlabel") ? try arguments.string("xlabel") : xLabel,
                            yLabel: arguments.has("ylabel") ? try arguments.string("ylabel") : (series.count == 1 && !series[0].name.isEmpty ? series[0].name : nil),
                            logY: try arguments.bool("log"))
        let url = outputURL(path)
        try createParentDirectory(of: url, arguments: arguments, name: "path")
        try plot.write(to: url)
        let caption = arguments.has("title") ? try arguments.string("title") : "plot of " + series.map { $0.name.isEmpty ? "values" : $0.name }.joined(separator: ", ")
        let file = FileResult(path: path, kind: .image, caption: caption)
        context.attach(file)
        return .file(file)
    }

    /// One series for a list of numbers; one per element for a list of lists.
    private func listSeries(_ items: [Value], arguments: Arguments) throws(NotebookError) -> [LinePlot.Series] {
        guard !items.isEmpty else { throw arguments.error("plot got an empty list: nothing to draw", at: "data") }
        let isNested = items.allSatisfy { if case .list = $0 { return true } else { return false } }
        let lists = isNested ? items.map { item -> [Value] in if case .list(let inner) = item { return inner } else { return [] } } : [items]
        var names = isNested ? lists.indices.map { "series \($0 + 1)" } : [""]
        if arguments.has("names") {
            names = try arguments.strings("names")
            guard names.count == lists.count else {
                throw arguments.error("plot draws \(lists.count) series but got \(names.count) names", at: "names")
            }
        }
        var series: [LinePlot.Series] = []
        for (index, list) in lists.enumerated() {
            var values: [Double] = []
            for (position, item) in list.enumerated() {
                switch item {
                case .number(let number): values.append(number)
                case .none: values.append(.nan)  // a gap in the line
                default:
                    let place = isNested ? "element \(position) of list \(index)" : "element \(position)"
                    throw arguments.error("plot needs numbers; \(place) is \(withArticle(item.typeName))", at: "data",
                                          hint: "plot a list of numbers, a list of lists of numbers, or a table")
                }
            }
            series.append(LinePlot.Series(name: names[index], values: values))
        }
        return series
    }

    /// Series for a table's y columns against its x column; rows where a y value is none are skipped.
    private func tableSeries(_ table: Table, arguments: Arguments) throws(NotebookError) -> ([LinePlot.Series], String?) {
        func columnValues(_ name: String, argument: String) throws(NotebookError) -> [Value] {
            guard let values = table.column(name) else {
                throw arguments.error("the table has no column '\(name)'\(Suggestions.didYouMean(name, among: table.columns))",
                                      at: argument, hint: "its columns: " + table.columns.joined(separator: ", "))
            }
            return values
        }
        func isNumeric(_ values: [Value]) -> Bool {
            values.contains { if case .number = $0 { return true } else { return false } }
                && values.allSatisfy { if case .string = $0 { return false } else { return true } }
        }
        var xName: String?
        if arguments.has("x") {
            xName = try arguments.string("x")
        } else if table.columns.contains("step") {
            xName = "step"
        }
        let xs: [Double]
        if let xName {
            let values = try columnValues(xName, argument: "x")
            xs = values.map { if case .number(let number) = $0 { return number } else { return .nan } }
        } else {
            xs = table.rows.indices.map(Double.init)
        }
        var yNames = arguments.has("y") ? try arguments.strings("y") : []
        if yNames.isEmpty {
            yNames = table.columns.filter { $0 != xName && isNumeric(table.column($0) ?? []) }
            guard !yNames.isEmpty else {
                throw arguments.error("the table has no numeric column to draw", at: "data", hint: "its columns: " + table.columns.joined(separator: ", "))
            }
        }
        var series: [LinePlot.Series] = []
        for name in yNames {
            let values = try columnValues(name, argument: "y")
            var x: [Double] = [], y: [Double] = []
            for (row, value) in values.enumerated() {
                switch value {
                case .number(let number):
                    x.append(xs[row])
                    y.append(number)
                case .none: continue  // not measured at this step (a dev metric every N steps)
                default:
                    throw arguments.error("column '\(name)' holds \(withArticle(value.typeName)) in row \(row); plot needs numbers", at: "y")
                }
            }
            series.append(LinePlot.Series(name: name, x: x, y: y))
        }
        return (series, xName ?? "row")
    }
}
