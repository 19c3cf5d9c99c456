import Foundation
import Platform
import PoseData

/// A number as the notebook shows it: integers without a decimal point, other values with up to
/// `significantDigits` significant digits (`0.0003`, `3.14159`, `1.5e+09`).
public func formatNumber(_ value: Double, significantDigits: Int = 6) -> String {
    NumberText.format(value, significantDigits: significantDigits)
}

extension Value {
    /// How a statement's value is echoed: strings quoted, collections shortened, datasets and
    /// samples as one-line summaries, tables up to ``Table/displayedRows`` rows.
    public var displayText: String {
        switch self {
        case .string(let string): return quoted(string)
        case .table(let table): return table.rendered(maxRows: Table.displayedRows)
        default: return inlineText
        }
    }

    /// The value on one line: used inside lists and tables.
    public var inlineText: String {
        switch self {
        case .number(let value): return formatNumber(value)
        case .string(let string): return string
        case .bool(let value): return value ? "true" : "false"
        case .none: return "none"
        case .list(let items):
            let limit = 20
            var parts = items.prefix(limit).map { item -> String in
                if case .string(let string) = item { return quoted(string) }
                return item.inlineText
            }
            if items.count > limit { parts.append("… \(items.count - limit) more") }
            return "[" + parts.joined(separator: ", ") + "]"
        case .range(let range):
            let bounds = range.step == 1 ? "\(range.start) \(range.end)" : "\(range.start) \(range.end) step: \(range.step)"
            return "range \(bounds) (\(range.count) numbers)"
        case .dataset(let dataset): return dataset.summaryLine
        case .sample(let sample): return sample.summaryLine
        case .table(let table):
            return "table (\(table.rows.count) rows: \(table.columns.joined(separator: ", ")))"
        case .file(let file): return "\(file.kind == .image ? "image" : file.kind == .directory ? "directory" : "file") \(file.path)"
        case .object(let object): return object.summary
        }
    }

    /// The value as text for `print` and string concatenation: strings as they are.
    public var plainText: String {
        if case .string(let string) = self { return string }
        return inlineText
    }
}

/// `"text"` with quotes and backslashes escaped, as the language would write it.
func quoted(_ string: String) -> String {
    var result = "\""
    for character in string {
        switch character {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        default: result.append(character)
        }
    }
    return result + "\""
}

extension PoseDataset {
    /// `dataset: 120 samples, 12 340 frames, 25 fps, layout openpose137 (137 joints)`.
    var summaryLine: String {
        let frames = samples.summaries.reduce(0) { $0 + $1.frameCount }
        return "dataset: \(count) \(count == 1 ? "sample" : "samples")\(isMapped ? " (memory-mapped shards)" : ""), \(frames) frames, \(fpsText), layout \(layout.name) (\(layout.jointCount) joints)"
    }

    /// The frame rate when all samples share one, else the range of frame rates.
    var fpsText: String {
        let rates = Set(samples.summaries.map(\.fps))
        guard let low = rates.min(), let high = rates.max() else { return "no frames" }
        return low == high ? "\(formatNumber(low)) fps" : "\(formatNumber(low))–\(formatNumber(high)) fps"
    }
}

extension PoseSequence {
    /// `sample 'Baum': 104 frames at 25 fps (4.16 s), layout openpose137`.
    var summaryLine: String {
        var line = "sample"
        if let name { line += " '\(name)'" }
        if let text { line += " \(quoted(text))" }
        line += ": \(frameCount) frames at \(formatNumber(fps)) fps (\(formatNumber(duration, significantDigits: 3)) s), layout \(layout.name)"
        return line
    }
}
