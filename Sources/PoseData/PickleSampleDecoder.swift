import Platform

/// The dataset layer of ``PickleDataset``: from a ``PickleValue`` tree to pose sequences.

/// Turns the pickle's value tree into pose sequences, naming the sample at fault in every error.
struct SampleDecoder {
    let fileName: String
    var elementBudget: Int

    /// One sample's keypoints before the dataset's layout is known.
    private struct RawSample {
        var values: [Float]
        var jointCount: Int
        var name: String?
        var text: String?
        var gloss: String?
        var signer: String?
        var fps: Double
        var textFeatures: TextFeatures?
    }

    func failure(_ message: String) -> PoseDataError {
        .malformed(file: fileName, offset: nil, message: message)
    }

    mutating func dataset(from root: PickleValue, layout: Layout?) throws(PoseDataError) -> PoseDataset {
        let entries: [(name: String?, value: PickleValue)]
        switch root {
        case .list(let items), .tuple(let items):
            entries = items.map { (nil, $0) }
        case .dict(let pairs):
            if PickleDataset.keypointKeys.contains(where: { root[$0] != nil }) {
                entries = [(nil, root)]  // one bare sample
            } else {
                var named: [(name: String?, value: PickleValue)] = []
                for pair in pairs {
                    guard let key = Self.text(pair.key) else {
                        throw failure("the top-level dict has a \(pair.key.kindDescription) key; expected sample names")
                    }
                    named.append((key, pair.value))
                }
                entries = named
            }
        default:
            throw failure("the pickle holds a \(root.kindDescription); expected a list of samples or a dict name → sample")
        }

        guard entries.count <= PoseLimits.maximumSamples else {
            throw failure("the pickle holds \(entries.count) samples, over the ceiling of \(PoseLimits.maximumSamples)")
        }
        var raw: [RawSample] = []
        raw.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            raw.append(try sample(entry.value, index: index, key: entry.name))
        }

        let chosen: Layout
        if let layout {
            try layout.validate()
            chosen = layout
        } else if let first = raw.first {
            chosen = first.jointCount == 137 ? .openPose137 : .generic(jointCount: first.jointCount)
        } else {
            chosen = .openPose137
        }
        var sequences: [PoseSequence] = []
        sequences.reserveCapacity(raw.count)
        for (index, sample) in raw.enumerated() {
            guard sample.jointCount == chosen.jointCount else {
                throw failure("\(Self.describe(index, sample.name)) has \(sample.jointCount) joints, but the layout \(QuotedText.quoted(chosen.name)) has \(chosen.jointCount)"
                              + (layout == nil ? " (set by the first sample)" : ""))
            }
            let sequence = try PoseSequence(layout: chosen, fps: sample.fps, values: sample.values, name: sample.name,
                                            text: sample.text, gloss: sample.gloss, signer: sample.signer,
                                            textFeatures: sample.textFeatures)
            if let (frame, joint, channel) = sequence.firstInvalidValue() {
                throw PoseDataError.invalidSequence(
                    "\(fileName): \(Self.describe(index, sample.name)), \(sequence.invalidValueProblem(frame: frame, joint: joint, channel: channel))")
            }
            sequences.append(sequence)
        }
        return try PoseDataset(layout: chosen, samples: sequences)
    }

    /// "sample 3 ('gsg-wiese-0')".
    static func describe(_ index: Int, _ name: String?) -> String {
        "sample \(index)" + (name.map { " (\(QuotedText.quoted($0)))" } ?? "")
    }

    private mutating func sample(_ value: PickleValue, index: Int, key: String?) throws(PoseDataError) -> RawSample {
        guard case .dict = value else {
            throw failure("\(Self.describe(index, key)) is a \(value.kindDescription); expected a dict with keypoints")
        }
        let name = try textField(value, "name", index, key) ?? key
        let label = Self.describe(index, name)
        guard let keypointKey = PickleDataset.keypointKeys.first(where: { value[$0] != nil }), let keypoints = value[keypointKey] else {
            let keys = value.dictEntries?.compactMap { Self.text($0.key) }.joined(separator: ", ") ?? ""
            throw failure("\(label) has no keypoints under \(PickleDataset.keypointKeys.joined(separator: ", ")); its keys are: \(QuotedText.safe(keys, limit: 400))")
        }
        let (values, jointCount) = try self.keypoints(keypoints, label: "\(label) \(QuotedText.quoted(keypointKey))")

        var fps = PickleDataset.defaultFPS
        if let fpsValue = value["fps"], fpsValue != .none {
            guard let number = fpsValue.doubleValue else {
                throw failure("\(label) has fps \(fpsValue.kindDescription); it must be a number")
            }
            guard PoseLimits.isValidFPS(number) else { throw failure("\(label): \(PoseLimits.fpsProblem(number))") }
            fps = number
        }
        var features: TextFeatures?
        if let sentence = value["sentence"], sentence != .none {
            features = try textFeatures(sentence, label: label)
        }
        return RawSample(values: values, jointCount: jointCount, name: name,
                         text: try textField(value, "text", index, name), gloss: try textField(value, "gloss", index, name),
                         signer: try textField(value, "signer", index, name), fps: fps, textFeatures: features)
    }

    /// A text field: str, UTF-8 bytes, a number (signer ids), or a list of str joined by spaces.
    private func textField(_ sample: PickleValue, _ key: String, _ index: Int, _ name: String?) throws(PoseDataError) -> String? {
        guard let value = sample[key], value != .none else { return nil }
        if let text = Self.text(value) { return text }
        if let items = value.sequenceItems {
            var words: [String] = []
            for item in items {
                guard let word = Self.text(item) else {
                    throw failure("\(Self.describe(index, name)) \(QuotedText.quoted(key)) holds a \(item.kindDescription); expected text")
                }
                words.append(word)
            }
            return words.joined(separator: " ")
        }
        throw failure("\(Self.describe(index, name)) \(QuotedText.quoted(key)) is a \(value.kindDescription); expected text")
    }

    /// Text from str, UTF-8 bytes or an integer.
    static func text(_ value: PickleValue) -> String? {
        switch value {
        case .string(let text): return text
        case .bytes(let bytes): return String(validating: bytes, as: UTF8.self)
        case .int(let number): return String(number)
        default: return nil
        }
    }

    /// Flat (T, J, 3) values and J from an array (T, J, 3) / (T, J·3) or nested lists of either shape.
    private mutating func keypoints(_ value: PickleValue, label: String) throws(PoseDataError) -> ([Float], Int) {
        switch value {
        case .array(let array):
            let jointCount = try jointCount(of: array.shape, label: label)
            try charge(array.count, label: label)
            return (array.floats(), jointCount)
        case .list(let frames), .tuple(let frames):
            guard let first = frames.first else {
                throw failure("\(label) is an empty list: with no frames its joint count is unknown; store a (0, J, 3) array instead")
            }
            let frameShape = try nestedShape(first, label: "\(label) frame 0")
            let jointCount = try self.jointCount(of: [frames.count] + frameShape, label: label)
            let frameSize = jointCount * 3
            let (total, overflow) = frames.count.multipliedReportingOverflow(by: frameSize)
            guard !overflow else { throw failure("\(label): nested lists describe too many numbers") }
            try charge(total, label: label)
            var values: [Float] = []
            values.reserveCapacity(total)
            for (frameIndex, frame) in frames.enumerated() {
                let before = values.count
                try appendNumbers(frame, to: &values, limit: before + frameSize, label: "\(label) frame \(frameIndex)")
                guard values.count == before + frameSize else {
                    throw failure("\(label) frame \(frameIndex) has \(values.count - before) numbers; frame 0 has \(frameSize)")
                }
            }
            return (values, jointCount)
        default:
            throw failure("\(label) is a \(value.kindDescription); expected an array or nested lists of (T, J, 3) or (T, J·3)")
        }
    }

    /// Takes `count` numbers from the budget of numbers this file may unpack to. Shared references
    /// (the memo) let a small file name one array or list many times; each use copies it.
    private mutating func charge(_ count: Int, label: String) throws(PoseDataError) {
        guard count <= elementBudget else {
            throw failure("\(label): the file refers to more numbers than this reader will unpack from a file of its size "
                          + "(shared references repeat the same data); the data is hostile or corrupt")
        }
        elementBudget -= count
    }

    /// J from a keypoint shape (T, J, 3) or (T, J·3), after checking T and J against
    /// ``PoseLimits`` (a shape with no elements passes every byte check, whatever J it declares).
    private func jointCount(of shape: [Int], label: String) throws(PoseDataError) -> Int {
        let joints: Int
        if shape.count == 3, shape[2] == 3 {
            joints = shape[1]
        } else if shape.count == 2, shape[1] % 3 == 0 {
            joints = shape[1] / 3
        } else {
            throw failure("\(label) has shape \(shape); expected (T, J, 3) or (T, J·3)")
        }
        if let problem = PoseLimits.shapeProblem(frames: Double(shape[0]), joints: Double(joints)) {
            throw failure("\(label) has shape \(shape): \(problem)")
        }
        return joints
    }

    /// The shape of one nested frame: [J, 3] or [D], from its first elements.
    private func nestedShape(_ frame: PickleValue, label: String) throws(PoseDataError) -> [Int] {
        if case .array(let array) = frame { return array.shape }
        guard let joints = frame.sequenceItems else {
            throw failure("\(label) is a \(frame.kindDescription); expected a list of joints")
        }
        if let joint = joints.first {
            if case .array(let array) = joint { return [joints.count] + array.shape }
            if let channels = joint.sequenceItems { return [joints.count, channels.count] }
        }
        return [joints.count]
    }

    /// Appends the numbers of a nested list / array in row-major order, at most up to `limit` values.
    private func appendNumbers(_ value: PickleValue, to values: inout [Float], limit: Int, label: String, depth: Int = 0) throws(PoseDataError) {
        switch value {
        case .float(let number): values.append(Float(number))
        case .int(let number): values.append(Float(number))
        case .bool(let flag): values.append(flag ? 1 : 0)
        case .array(let array):
            guard values.count + array.count <= limit else { throw failure("\(label) holds more numbers than frame 0") }
            values.append(contentsOf: array.floats())
        case .list(let items), .tuple(let items):
            guard depth < 2 else { throw failure("\(label) nests lists deeper than joints × channels") }
            for item in items {
                guard values.count < limit else { throw failure("\(label) holds more numbers than frame 0") }
                try appendNumbers(item, to: &values, limit: limit, label: label, depth: depth + 1)
            }
        default:
            throw failure("\(label) holds a \(value.kindDescription) where a number belongs")
        }
    }

    /// The authors' `sentence` features: an array (1, L, W) or (L, W).
    private mutating func textFeatures(_ value: PickleValue, label: String) throws(PoseDataError) -> TextFeatures {
        guard case .array(let array) = value else {
            throw failure("\(label) 'sentence' is a \(value.kindDescription); expected an array (1, L, W) or (L, W)")
        }
        let shape = array.shape
        let rows: Int, width: Int
        if shape.count == 3, shape[0] == 1 {
            (rows, width) = (shape[1], shape[2])
        } else if shape.count == 2 {
            (rows, width) = (shape[0], shape[1])
        } else {
            throw failure("\(label) 'sentence' has shape \(shape); expected (1, L, W) or (L, W)")
        }
        guard width > 0 else { throw failure("\(label) 'sentence' has shape \(shape): rows of width 0") }
        try charge(array.count, label: "\(label) 'sentence'")
        return try TextFeatures(rows: rows, width: width, values: array.floats())
    }
}
