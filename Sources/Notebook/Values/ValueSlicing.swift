import PoseData

/// Slices (`d[0:3]`, `xs[-2:]`) and heads (`head d 5`) of the values that can be indexed.
extension Value {
    /// The elements from `start` up to (not including) `end`, as a value of the same kind: a
    /// list of a list or range, a dataset of a dataset, a table (same columns) of a table, a
    /// string of a string. Bounds count from the end when negative and are clamped to the
    /// value's extent, as in Python; nil is the start or the end. Throws for values that cannot be
    /// indexed.
    public func slice(from start: Int?, to end: Int?) throws(NotebookError) -> Value {
        guard let count else {
            throw NotebookError("a \(typeName) cannot be sliced",
                                hint: "lists, ranges, datasets, tables and strings can: xs[0:3], d[:5]")
        }
        func clamped(_ bound: Int?, default value: Int) -> Int {
            guard let bound else { return value }
            return Swift.min(Swift.max(bound < 0 ? count + bound : bound, 0), count)
        }
        let lower = clamped(start, default: 0)
        let upper = Swift.max(lower, clamped(end, default: count))
        switch self {
        case .list(let items): return .list(Array(items[lower..<upper]))
        case .range(let range):
            return .list((lower..<upper).map { .number(Double(range.element(at: $0))) })
        case .dataset(let dataset):
            do {
                return .dataset(try dataset.subset(Array(lower..<upper)))
            } catch {
                throw NotebookError(error.description)
            }
        case .table(var table):
            table.rows = Array(table.rows[lower..<upper])
            return .table(table)
        case .string(let string):
            let characters = Array(string)
            return .string(String(characters[lower..<upper]))
        default:
            throw NotebookError("a \(typeName) cannot be sliced")
        }
    }
}
