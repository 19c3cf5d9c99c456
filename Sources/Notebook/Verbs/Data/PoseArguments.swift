import PoseData

/// Reading pose values out of checked arguments.
extension Arguments {
    /// The parameter as a sample; a dataset of exactly one sample (a loaded `.pose` file) counts
    /// as that sample.
    func sample(_ name: String) throws(NotebookError) -> PoseSequence {
        try Self.sample(from: self[name], verb: verb, variable: variableName(of: name)) { message, hint in
            error(message, at: name, hint: hint)
        }
    }

    /// `value` as a sample (see ``sample(_:)``); `fail` makes the error for other values, whose
    /// hint names `variable`, the name the value was written as, when there is one.
    static func sample(from value: Value, verb: String, variable: String? = nil,
                       fail: (String, String?) -> NotebookError) throws(NotebookError) -> PoseSequence {
        switch value {
        case .sample(let sample): return sample
        case .dataset(let dataset) where dataset.count == 1: return dataset[0]
        case .dataset(let dataset):
            let d = variable ?? "(…)"
            throw fail("\(verb) needs one sample, got a dataset of \(dataset.count) samples",
                       "pick one: \(d)[0], or find \(d) \"TEXT\"; or loop: for s in \(d) { … }")
        default:
            throw fail("\(verb) needs a sample, got \(withArticle(value.typeName))", nil)
        }
    }

    /// The parameter as a list of strings: a string is a list of one.
    func strings(_ name: String) throws(NotebookError) -> [String] {
        switch self[name] {
        case .string(let string): return [string]
        case .list(let items):
            var strings: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let string) = item else {
                    throw error("\(verb)'s '\(name)' must hold strings; element \(index) is \(withArticle(item.typeName))", at: name)
                }
                strings.append(string)
            }
            return strings
        default:
            throw error("\(verb) needs a string or a list of strings for '\(name)', got \(withArticle(self[name].typeName))", at: name)
        }
    }

    /// The parameter as a list of numbers.
    func numbers(_ name: String) throws(NotebookError) -> [Double] {
        guard case .list(let items) = self[name] else {
            throw error("\(verb) needs a list of numbers for '\(name)', got \(withArticle(self[name].typeName))", at: name)
        }
        var numbers: [Double] = []
        for (index, item) in items.enumerated() {
            guard case .number(let number) = item else {
                throw error("\(verb)'s '\(name)' must hold numbers; element \(index) is \(withArticle(item.typeName))", at: name)
            }
            numbers.append(number)
        }
        return numbers
    }

    /// A positive, finite number.
    func positiveNumber(_ name: String) throws(NotebookError) -> Double {
        let value = try number(name)
        guard value.isFinite, value > 0 else {
            throw error("\(verb)'s '\(name)' must be a positive number, got \(formatNumber(value))", at: name)
        }
        return value
    }
}

extension PoseSequence {
    /// How the notebook names a sample in tables and captions: its name, else its text, else `#index`.
    func label(index: Int? = nil) -> String {
        name ?? text ?? index.map { "#\($0)" } ?? "sample"
    }
}
