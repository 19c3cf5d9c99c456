import PoseData

/// The readable views `show` prints for datasets and samples.
enum PoseViews {
    /// Counts, frames, frame rate, layout and the first `rows` samples of a dataset.
    static func dataset(_ dataset: PoseDataset, rows: Int) -> String {
        let frames = dataset.samples.map(\.frameCount)
        let total = frames.reduce(0, +)
        var facts = Table(columns: ["", ""])
        facts.append([.string("samples"), .string("\(dataset.count)")])
        if let low = frames.min(), let high = frames.max() {
            let mean = Double(total) / Double(frames.count)
            facts.append([.string("frames"),
                          .string("\(total) in all; per sample min \(low), mean \(formatNumber(mean, significantDigits: 4)), max \(high)")])
            let seconds = dataset.samples.reduce(0) { $0 + $1.duration }
            facts.append([.string("duration"), .string("\(ProgressReporter.duration(seconds)) in all")])
        }
        facts.append([.string("fps"), .string(dataset.fpsText)])
        facts.append([.string("layout"), .string(layoutText(dataset.layout))])
        let texts = dataset.samples.filter { $0.text != nil }.count
        let glosses = dataset.samples.filter { $0.gloss != nil }.count
        let features = dataset.samples.filter { $0.textFeatures != nil }.count
        facts.append([.string("texts"), .string("\(texts) of \(dataset.count) samples; \(Set(dataset.samples.compactMap(\.text)).count) distinct")])
        if glosses > 0 { facts.append([.string("glosses"), .string("\(glosses) of \(dataset.count) samples")]) }
        if features > 0 {
            let width = dataset.samples.first { $0.textFeatures != nil }?.textFeatures?.width ?? 0
            facts.append([.string("features"), .string("\(features) samples carry text features (width \(width))")])
        }
        var lines = [keyValueLines(facts)]
        if dataset.count > 0 {
            var table = Table(columns: ["#", "name", "frames", "seconds", "text"])
            for (index, sample) in dataset.samples.prefix(rows).enumerated() {
                table.append([.number(Double(index)), sample.name.map(Value.string) ?? .none,
                              .number(Double(sample.frameCount)), .number((sample.duration * 100).rounded() / 100),
                              sample.text.map(Value.string) ?? .none])
            }
            if dataset.count > rows {
                table.footnote = "first \(rows) of \(dataset.count) samples (show d rows: N for more; d[i] for one sample)"
            }
            lines.append("")
            lines.append(table.rendered())
        }
        return lines.joined(separator: "\n")
    }

    /// Text, gloss, frames and per-part confidence of one sample.
    static func sample(_ sample: PoseSequence) -> String {
        var facts = Table(columns: ["", ""])
        if let name = sample.name { facts.append([.string("name"), .string(name)]) }
        facts.append([.string("text"), .string(sample.text ?? "—")])
        if let gloss = sample.gloss { facts.append([.string("gloss"), .string(gloss)]) }
        if let signer = sample.signer { facts.append([.string("signer"), .string(signer)]) }
        facts.append([.string("frames"),
                      .string("\(sample.frameCount) at \(formatNumber(sample.fps)) fps (\(formatNumber(sample.duration, significantDigits: 3)) s)")])
        facts.append([.string("layout"), .string(layoutText(sample.layout))])
        if let features = sample.textFeatures {
            facts.append([.string("features"), .string("\(features.rows) × \(features.width) text features")])
        }
        var confidence = Table(columns: ["part", "joints", "mean confidence", "missing"])
        for part in sample.layout.parts {
            let (mean, missing) = confidenceStatistics(sample, joints: part.joints)
            confidence.append([.string(part.name), .number(Double(part.joints.count)),
                               mean.map { .number(($0 * 1000).rounded() / 1000) } ?? .none,
                               .string(missing.map { String(format: "%.1f%%", $0 * 100) } ?? "—")])
        }
        return keyValueLines(facts) + "\n\nconfidence per part:\n" + confidence.rendered()
    }

    /// The mean confidence of the given joints over all frames, and the fraction of (frame, joint)
    /// pairs with confidence 0 (missing); nil for a sample without frames.
    static func confidenceStatistics(_ sample: PoseSequence, joints: [Int]) -> (mean: Double?, missing: Double?) {
        let frames = sample.frameCount
        guard frames > 0, !joints.isEmpty else { return (nil, nil) }
        var sum = 0.0
        var missing = 0
        for frame in 0..<frames {
            for joint in joints {
                let confidence = sample.values[sample.offset(frame: frame, joint: joint) + 2]
                sum += Double(confidence)
                if confidence == 0 { missing += 1 }
            }
        }
        let count = Double(frames * joints.count)
        return (sum / count, Double(missing) / count)
    }

    static func layoutText(_ layout: Layout) -> String {
        "\(layout.name), \(layout.jointCount) joints: " + layout.parts.map { "\($0.name) \($0.joints.count)" }.joined(separator: ", ")
    }

    /// A two-column table printed as `key   value` lines without a header.
    static func keyValueLines(_ table: Table) -> String {
        let width = table.rows.map { $0[0].inlineText.count }.max() ?? 0
        return table.rows.map { row in
            row[0].inlineText.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row[1].inlineText
        }.joined(separator: "\n")
    }
}
