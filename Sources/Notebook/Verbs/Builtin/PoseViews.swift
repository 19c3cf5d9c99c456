import Platform
import PoseData

/// The readable views `show` prints for datasets and samples.
enum PoseViews {
    /// Counts, lengths, durations, frame rate, layout, signers, texts, per-part confidence and the
    /// first `rows` samples of a dataset.
    static func dataset(_ dataset: PoseDataset, rows: Int) -> String {
        let statistics = dataset.statistics()
        var facts: [(String, String)] = [("samples", "\(dataset.count)")]
        if dataset.count > 0 {
            facts.append(("frames", "\(statistics.totalFrames) in all; per sample min \(statistics.minFrames), "
                          + "mean \(formatNumber(statistics.meanFrames, significantDigits: 4)), max \(statistics.maxFrames)"))
            facts.append(("duration", "\(NumberText.duration(statistics.totalDuration)) in all; per sample "
                          + "min \(seconds(statistics.minDuration)), mean \(seconds(statistics.meanDuration)), max \(seconds(statistics.maxDuration))"))
        }
        facts.append(("fps", dataset.fpsText))
        facts.append(("layout", layoutText(dataset.layout)))
        let summaries = dataset.samples.summaries
        let signers = countedValues(summaries.map(\.signer))
        if !signers.isEmpty { facts.append(("signers", signers)) }
        let texts = summaries.compactMap(\.text)
        var distinct: [String] = []
        var seen: Set<String> = []
        for text in texts where seen.insert(text).inserted { distinct.append(text) }
        var textLine = "\(texts.count) of \(dataset.count) samples; \(distinct.count) distinct"
        if !distinct.isEmpty { textLine += ": " + listing(distinct, width: 72) }
        facts.append(("texts", textLine))
        let glosses = summaries.filter { $0.gloss != nil }.count
        if glosses > 0 { facts.append(("glosses", "\(glosses) of \(dataset.count) samples")) }
        let features = summaries.filter { $0.textFeatureWidth != nil }
        if let width = features.first?.textFeatureWidth {
            facts.append(("features", "\(features.count) samples carry text features (width \(width))"))
        }
        var lines = [keyValueLines(facts)]
        if statistics.totalFrames > 0 {
            lines.append("")
            lines.append(partTable(statistics).rendered())
        }
        if dataset.count > 0, rows > 0 {
            let hasSigners = summaries.contains { $0.signer != nil }
            var table = Table(columns: ["#", "name", "frames", "seconds"] + (hasSigners ? ["signer"] : []) + ["text"])
            for (index, sample) in summaries.prefix(rows).enumerated() {
                table.append([.number(Double(index)), sample.name.map(Value.string) ?? .none,
                              .number(Double(sample.frameCount)), .number((sample.duration * 100).rounded() / 100)]
                             + (hasSigners ? [sample.signer.map(Value.string) ?? .none] : [])
                             + [sample.text.map(Value.string) ?? .none])
            }
            if dataset.count > rows {
                table.footnote = "first \(rows) of \(dataset.count) samples (show d rows: N for more; d[i] for one sample)"
            }
            lines.append("")
            lines.append(table.rendered(maxCellWidth: 40))
        }
        return lines.joined(separator: "\n")
    }

    /// Text, gloss, signer, frames, coordinate extent and per-part confidence of one sample.
    static func sample(_ sample: PoseSequence) -> String {
        var facts: [(String, String)] = []
        if let name = sample.name { facts.append(("name", name)) }
        facts.append(("text", sample.text ?? "—"))
        if let gloss = sample.gloss { facts.append(("gloss", gloss)) }
        if let signer = sample.signer { facts.append(("signer", signer)) }
        facts.append(("frames", "\(sample.frameCount) at \(formatNumber(sample.fps)) fps (\(seconds(sample.duration)))"))
        facts.append(("layout", layoutText(sample.layout)))
        if let extent = extent(sample) { facts.append(("extent", extent)) }
        if let features = sample.textFeatures {
            facts.append(("features", "\(features.rows) × \(features.width) text features"))
        }
        var text = keyValueLines(facts)
        if sample.frameCount > 0, let single = try? PoseDataset(layout: sample.layout, samples: [sample]) {
            text += "\n\n" + partTable(single.statistics()).rendered()
        }
        return text
    }

    /// Per part: joints, share of joint-frames missing (confidence 0), mean confidence of the rest.
    static func partTable(_ statistics: PoseStatistics) -> Table {
        var table = Table(columns: ["part", "joints", "missing", "mean confidence"])
        for part in statistics.parts {
            table.append([.string(part.name), .number(Double(part.jointCount)), .string(percent(part.missingFraction)),
                          part.missingFraction < 1 ? .number((part.meanConfidence * 1000).rounded() / 1000) : .none])
        }
        table.footnote = "missing: joint-frames with confidence 0; mean confidence over the joints present"
        return table
    }

    /// `x -120…980, y 40…1100` over the joints present, or nil when none is.
    static func extent(_ sample: PoseSequence) -> String? {
        var minX = Float.infinity, maxX = -Float.infinity, minY = Float.infinity, maxY = -Float.infinity
        sample.values.withUnsafeBufferPointer { values in
            for index in stride(from: 0, to: values.count, by: 3) where values[index + 2] > 0 {
                minX = min(minX, values[index]); maxX = max(maxX, values[index])
                minY = min(minY, values[index + 1]); maxY = max(maxY, values[index + 1])
            }
        }
        guard minX.isFinite, maxX.isFinite else { return nil }
        func number(_ value: Float) -> String { formatNumber(Double(value), significantDigits: 4) }
        return "x \(number(minX))…\(number(maxX)), y \(number(minY))…\(number(maxY)) (joints present)"
    }

    static func layoutText(_ layout: Layout) -> String {
        "\(layout.name), \(layout.jointCount) joints: " + layout.parts.map { "\($0.name) \($0.joints.count)" }.joined(separator: ", ")
    }

    /// `gsg 38, ase 2` (most frequent first); empty when no value is present.
    static func countedValues(_ values: [String?]) -> String {
        var counts: [String: Int] = [:]
        for case let value? in values { counts[value, default: 0] += 1 }
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return listing(sorted.map { "\($0.key) \($0.value)" }, width: 72)
    }

    /// Items joined by `, ` up to about `width` characters, then `… N more`.
    static func listing(_ items: [String], width: Int) -> String {
        var text = ""
        for (index, item) in items.enumerated() {
            let clipped = item.count > 24 ? String(item.prefix(23)) + "…" : item
            let piece = (index == 0 ? "" : ", ") + clipped
            if index > 0, text.count + piece.count > width {
                return text + ", … \(items.count - index) more"
            }
            text += piece
        }
        return text
    }

    static func seconds(_ value: Double) -> String { "\(formatNumber(value, significantDigits: 3)) s" }

    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value > 0 && value < 0.1 ? "<0.1%" : String(format: "%.1f%%", value)
    }

    /// `key   value` lines without a header.
    static func keyValueLines(_ facts: [(String, String)]) -> String {
        let width = facts.map(\.0.count).max() ?? 0
        return facts.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
