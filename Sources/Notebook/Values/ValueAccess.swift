import PoseData

/// Member access (`d.count`, `s.frames`) and indexing (`xs[0]`, `d[3]`) for the built-in values.
extension Value {
    /// The members ``member(_:)`` answers for this value, for completion and error messages.
    public var memberNames: [String] {
        switch self {
        case .table(let table): return Self.memberNames(ofType: "table") + table.columns
        case .object(let object): return object.memberNames
        default: return Self.memberNames(ofType: typeName)
        }
    }

    /// The members every value of the built-in type `typeName` has (a table also has its columns;
    /// domain objects list their own), for `:help TYPE`.
    public static func memberNames(ofType typeName: String) -> [String] {
        switch typeName {
        case "list", "range": return ["count", "first", "last"]
        case "string": return ["count", "lines", "words"]
        case "dataset": return ["count", "samples", "texts", "names", "glosses", "signers", "lengths", "frames", "duration", "fps",
                                "joints", "layout", "parts"]
        case "sample": return ["frames", "fps", "seconds", "duration", "text", "gloss", "name", "signer", "joints", "layout", "parts"]
        case "table": return ["count", "columns"]
        case "file": return ["path", "kind"]
        default: return []
        }
    }

    /// The member `name`, or nil when the value has no such member.
    public func member(_ name: String) -> Value? {
        if name == "count", let count { return .number(Double(count)) }
        switch (self, name) {
        case (.list(let items), "first"): return items.first ?? Value.none
        case (.list(let items), "last"): return items.last ?? Value.none
        case (.range(let range), "first"): return range.count > 0 ? .number(Double(range.start)) : Value.none
        case (.range(let range), "last"): return range.count > 0 ? .number(Double(range.element(at: range.count - 1))) : Value.none
        case (.string(let string), "lines"):
            return .list(string.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })
        case (.string(let string), "words"):
            return .list(string.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
        case (.dataset(let dataset), _): return dataset.member(name)
        case (.sample(let sample), _): return sample.member(name)
        case (.table(let table), "columns"): return .list(table.columns.map(Value.string))
        case (.table(let table), _): return table.column(name).map(Value.list)
        case (.file(let file), "path"): return .string(file.path)
        case (.file(let file), "kind"): return .string(file.kind.rawValue)
        case (.object(let object), _): return object.member(name)
        default: return nil
        }
    }

    /// The element at `index` of a list, range, dataset (a sample), table (a row as a list) or
    /// string (a character); negative indices count from the end. Throws with the valid range when
    /// `index` is outside, and when the value cannot be indexed.
    public func element(at index: Int) throws(NotebookError) -> Value {
        guard let count else {
            throw NotebookError("a \(typeName) cannot be indexed",
                                hint: "lists, ranges, datasets, tables and strings can: xs[0], d[3]")
        }
        let position = index < 0 ? count + index : index
        guard position >= 0, position < count else {
            let valid = count == 0 ? "it is empty" : "valid indices are 0…\(count - 1) (or -\(count)…-1 from the end)"
            throw NotebookError("index \(index) is out of range: the \(typeName) has \(count) \(count == 1 ? "element" : "elements"); \(valid)")
        }
        switch self {
        case .list(let items): return items[position]
        case .range(let range): return .number(Double(range.element(at: position)))
        case .dataset(let dataset): return .sample(dataset[position])
        case .table(let table): return .list(table.rows[position])
        case .string(let string): return .string(String(string[string.index(string.startIndex, offsetBy: position)]))
        default: throw NotebookError("a \(typeName) cannot be indexed")
        }
    }
}

extension PoseDataset {
    func member(_ name: String) -> Value? {
        switch name {
        case "samples": return .list(samples.map(Value.sample))
        case "texts": return .list(samples.summaries.map { $0.text.map(Value.string) ?? .none })
        case "names": return .list(samples.summaries.map { $0.name.map(Value.string) ?? .none })
        case "glosses": return .list(samples.summaries.map { $0.gloss.map(Value.string) ?? .none })
        case "signers": return .list(Set(samples.summaries.compactMap(\.signer)).sorted().map(Value.string))
        case "lengths": return .list(samples.summaries.map { .number(Double($0.frameCount)) })
        case "frames": return .number(Double(samples.summaries.reduce(0) { $0 + $1.frameCount }))
        case "duration": return .number(samples.summaries.reduce(0) { $0 + $1.duration })
        case "fps":
            let rates: [Double] = samples.summaries.map(\.fps)
            guard !rates.isEmpty else { return Value.none }
            return .number(rates.reduce(0, +) / Double(rates.count))
        case "joints": return .number(Double(layout.jointCount))
        case "layout": return .string(layout.name)
        case "parts": return .list(layout.parts.map { .string($0.name) })
        default: return nil
        }
    }
}

extension PoseSequence {
    func member(_ name: String) -> Value? {
        func optional(_ string: String?) -> Value { string.map(Value.string) ?? .none }
        switch name {
        case "frames": return .number(Double(frameCount))
        case "fps": return .number(fps)
        case "seconds", "duration": return .number(duration)
        case "text": return optional(text)
        case "gloss": return optional(gloss)
        case "name": return optional(self.name)
        case "signer": return optional(signer)
        case "joints": return .number(Double(jointCount))
        case "layout": return .string(layout.name)
        case "parts": return .list(layout.parts.map { .string($0.name) })
        default: return nil
        }
    }
}
