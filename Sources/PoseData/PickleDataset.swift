import Foundation

/// Pose datasets stored as Python pickles: the seed's `train.pkl` / `dev.pkl` / `test.pkl` and the
/// variants real files use, read with the safe ``PickleReader``.
///
/// Read: a top-level list (or tuple) of samples, or a dict name → sample; optionally gzip
/// compressed. A sample is a dict with keypoints under `keypoints`, `pose` or `skeleton`, shaped
/// (T, J, 3) or (T, J·3) — x, y, confidence — as a numpy array or torch tensor of any supported
/// dtype, or as nested lists; and, when present, `text`, `gloss`, `name`, `signer`, `fps` and the
/// authors' `sentence` text features (1, L, W) or (L, W). A sample without `fps` gets
/// ``defaultFPS`` (25, the PHOENIX14T rate). J = 137 means ``Layout/openPose137``; other joint
/// counts need a caller-given layout of that size or get ``Layout/generic(jointCount:)``.
///
/// Written: the seed's format (see ``write(_:to:)``).
public enum PickleDataset {
    /// Frames per second of samples that do not say: 25, the rate of PHOENIX14T.
    public static let defaultFPS = 25.0
    /// The keys keypoints are looked for under, in this order.
    public static let keypointKeys = ["keypoints", "pose", "skeleton"]

    /// Reads a pickled dataset (optionally gzip-compressed) from a file.
    ///
    /// - Parameter layout: the skeleton of the data; nil chooses OpenPose-137 for 137 joints and a
    ///   generic layout otherwise. A given layout must have the data's joint count.
    public static func load(contentsOf url: URL, layout: Layout? = nil) throws(PoseDataError) -> PoseDataset {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url, options: .mappedIfSafe))
        } catch {
            throw PoseDataError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try decode(bytes, name: url.lastPathComponent, layout: layout)
    }

    /// Decodes a pickled dataset from memory; `name` is used in error messages.
    public static func decode(_ data: Data, name: String, layout: Layout? = nil) throws(PoseDataError) -> PoseDataset {
        try decode([UInt8](data), name: name, layout: layout)
    }

    /// Decodes a pickled dataset (optionally gzip-compressed) from bytes; `name` is used in error messages.
    public static func decode(_ bytes: [UInt8], name: String, layout: Layout? = nil) throws(PoseDataError) -> PoseDataset {
        let plain = Gzip.isCompressed(bytes) ? try Gzip.inflate(bytes, fileName: name) : bytes
        let root = try PickleReader.read(plain, fileName: name)
        // Shared nested lists can describe far more numbers than the file holds; cap them.
        var decoder = SampleDecoder(fileName: name, elementBudget: 64 &* plain.count &+ (16 << 20))
        return try decoder.dataset(from: root, layout: layout)
    }
}

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
                throw failure("\(Self.describe(index, sample.name)) has \(sample.jointCount) joints, but the layout '\(chosen.name)' has \(chosen.jointCount)"
                              + (layout == nil ? " (set by the first sample)" : ""))
            }
            let sequence = try PoseSequence(layout: chosen, fps: sample.fps, values: sample.values, name: sample.name,
                                            text: sample.text, gloss: sample.gloss, signer: sample.signer,
                                            textFeatures: sample.textFeatures)
            if let (frame, joint, channel) = sequence.firstNonFinite() {
                let value = sequence.values[sequence.offset(frame: frame, joint: joint) + channel]
                throw PoseDataError.invalidSequence(
                    "\(fileName): \(Self.describe(index, sample.name)), frame \(frame), joint \(joint) ('\(chosen.joints[joint])'): "
                    + "\(["x", "y", "confidence"][channel]) is \(value); keypoints must be finite numbers")
            }
            sequences.append(sequence)
        }
        return try PoseDataset(layout: chosen, samples: sequences)
    }

    /// "sample 3 ('gsg-wiese-0')".
    static func describe(_ index: Int, _ name: String?) -> String {
        "sample \(index)" + (name.map { " ('\($0)')" } ?? "")
    }

    private mutating func sample(_ value: PickleValue, index: Int, key: String?) throws(PoseDataError) -> RawSample {
        guard case .dict = value else {
            throw failure("\(Self.describe(index, key)) is a \(value.kindDescription); expected a dict with keypoints")
        }
        let name = try textField(value, "name", index, key) ?? key
        let label = Self.describe(index, name)
        guard let keypointKey = PickleDataset.keypointKeys.first(where: { value[$0] != nil }), let keypoints = value[keypointKey] else {
            let keys = value.dictEntries?.compactMap { Self.text($0.key) }.joined(separator: ", ") ?? ""
            throw failure("\(label) has no keypoints under \(PickleDataset.keypointKeys.joined(separator: ", ")); its keys are: \(keys)")
        }
        let (values, jointCount) = try self.keypoints(keypoints, label: "\(label) '\(keypointKey)'")

        var fps = PickleDataset.defaultFPS
        if let fpsValue = value["fps"], fpsValue != .none {
            guard let number = fpsValue.doubleValue, number.isFinite, number > 0 else {
                throw failure("\(label) has fps \(fpsValue.kindDescription); it must be a positive number")
            }
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
                    throw failure("\(Self.describe(index, name)) '\(key)' holds a \(item.kindDescription); expected text")
                }
                words.append(word)
            }
            return words.joined(separator: " ")
        }
        throw failure("\(Self.describe(index, name)) '\(key)' is a \(value.kindDescription); expected text")
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

    /// J from a keypoint shape (T, J, 3) or (T, J·3).
    private func jointCount(of shape: [Int], label: String) throws(PoseDataError) -> Int {
        if shape.count == 3, shape[2] == 3 { return shape[1] }
        if shape.count == 2, shape[1] % 3 == 0 { return shape[1] / 3 }
        throw failure("\(label) has shape \(shape); expected (T, J, 3) or (T, J·3)")
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
