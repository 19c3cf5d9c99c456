import Foundation
import Platform

/// Datasets as JSON (Docs/data-formats.md):
///
/// ```
/// {"layout": {"name", "joints", "parts", "bones"},
///  "samples": [{"name", "text", "gloss", "signer", "fps",
///               "frames": [[[x, y, c], ... per joint], ... per frame],
///               "text_features": [[...], ... per row]}]}
/// ```
///
/// `name`, `text`, `gloss`, `signer` and `text_features` are optional (absent or null);
/// `fps` and `frames` are required. Floats are written in their shortest exact form, so a
/// dataset survives export → import unchanged.
extension PoseDataset {
    /// The dataset as JSON bytes.
    public func jsonBytes() throws(PoseDataError) -> [UInt8] {
        for (index, sample) in samples.enumerated() {
            if let (frame, joint, channel) = sample.firstNonFinite() {
                throw PoseDataError.invalidSequence(
                    "sample \(index)\(sample.name.map { " \(QuotedText.quoted($0))" } ?? ""): frame \(frame), joint \(joint), channel \(channel) is not finite; JSON cannot hold it")
            }
            if let features = sample.textFeatures, features.values.contains(where: { !$0.isFinite }) {
                throw PoseDataError.invalidSequence(
                    "sample \(index)\(sample.name.map { " \(QuotedText.quoted($0))" } ?? ""): its text features hold a non-finite value; JSON cannot hold it")
            }
        }
        // Samples are formatted independently (in parallel) and joined.
        let chunks = UnsafeChunks(count: samples.count)
        let samples = self.samples
        DispatchQueue.concurrentPerform(iterations: samples.count) { index in
            var writer = JSONWriter(capacity: samples[index].values.count * 7 + 256)
            Self.writeSample(samples[index], into: &writer)
            chunks.store(writer.bytes, at: index)
        }
        var writer = JSONWriter(capacity: chunks.totalCount + 4096)
        writer.raw("{\"layout\": ")
        layout.writeJSON(into: &writer, indent: "")
        writer.raw(",\n\"samples\": [")
        for index in 0..<samples.count {
            writer.raw(index > 0 ? ",\n" : "\n")
            chunks.withChunk(at: index) { writer.append(contentsOf: $0) }
        }
        writer.raw("]}\n")
        return writer.bytes
    }

    /// Writes the dataset as JSON, atomically.
    public func writeJSON(to url: URL) throws(PoseDataError) {
        try OutputFile.write(try jsonBytes(), to: url)
    }

    private static func writeSample(_ sample: PoseSequence, into writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        for (key, value) in [("name", sample.name), ("text", sample.text), ("gloss", sample.gloss), ("signer", sample.signer)] {
            guard let value else { continue }
            writer.string(key)
            writer.raw(": ")
            writer.string(value)
            writer.raw(", ")
        }
        writer.raw("\"fps\": ")
        writer.double(sample.fps)
        writer.raw(", \"frames\": [")
        let joints = sample.jointCount
        sample.values.withUnsafeBufferPointer { values in
            for frame in 0..<sample.frameCount {
                writer.raw(frame > 0 ? ",\n [" : "\n [")
                for joint in 0..<joints {
                    let i = (frame * joints + joint) * 3
                    writer.raw(joint > 0 ? ",[" : "[")
                    writer.float(values[i])
                    writer.byte(UInt8(ascii: ","))
                    writer.float(values[i + 1])
                    writer.byte(UInt8(ascii: ","))
                    writer.float(values[i + 2])
                    writer.byte(UInt8(ascii: "]"))
                }
                writer.byte(UInt8(ascii: "]"))
            }
        }
        writer.byte(UInt8(ascii: "]"))
        if let features = sample.textFeatures {
            writer.raw(",\n \"text_features\": [")
            for row in 0..<features.rows {
                writer.raw(row > 0 ? ",\n  [" : "\n  [")
                for column in 0..<features.width {
                    if column > 0 { writer.byte(UInt8(ascii: ",")) }
                    writer.float(features.values[row * features.width + column])
                }
                writer.byte(UInt8(ascii: "]"))
            }
            writer.byte(UInt8(ascii: "]"))
        }
        writer.byte(UInt8(ascii: "}"))
    }

    /// Reads a dataset from a JSON file.
    public init(jsonContentsOf url: URL) throws(PoseDataError) {
        try self.init(jsonBytes: try OutputFile.read(url), file: url.path)
    }

    /// Parses a dataset from JSON bytes; `file` names the source in errors.
    public init(jsonBytes: [UInt8], file: String? = nil) throws(PoseDataError) {
        var parser = JSONParser(bytes: jsonBytes, file: file)
        var layout: Layout?
        var parsed: [ParsedSample] = []
        var sawSamples = false
        try parser.parseObject { (parser: inout JSONParser, key: String) throws(PoseDataError) in
            switch key {
            case "layout":
                let start = parser.index
                let value = try parser.parseValue()
                layout = try Layout(jsonValue: value, context: "\(file ?? "JSON") \"layout\" (byte \(start))")
            case "samples":
                sawSamples = true
                try parser.parseArray { (parser: inout JSONParser, index: Int) throws(PoseDataError) in
                    parsed.append(try ParsedSample(from: &parser, index: index))
                }
            default:
                _ = try parser.parseValue()
            }
        }
        try parser.expectEnd()
        let where_ = file ?? "JSON"
        guard let layout else {
            throw PoseDataError.malformed(file: file, offset: nil, message: "the dataset has no \"layout\" object")
        }
        guard sawSamples else {
            throw PoseDataError.malformed(file: file, offset: nil, message: "the dataset has no \"samples\" array")
        }
        var samples: [PoseSequence] = []
        samples.reserveCapacity(parsed.count)
        for (index, sample) in parsed.enumerated() {
            if sample.frameCount > 0, sample.jointCount != layout.jointCount {
                throw PoseDataError.malformed(file: file, offset: sample.offset, message:
                    "sample \(index) has \(sample.jointCount) joints per frame, but layout \(QuotedText.quoted(layout.name)) has \(layout.jointCount)")
            }
            let sequence: PoseSequence
            do {
                sequence = try PoseSequence(layout: layout, fps: sample.fps, values: sample.values, name: sample.name,
                                            text: sample.text, gloss: sample.gloss, signer: sample.signer,
                                            textFeatures: sample.textFeatures)
            } catch {
                throw PoseDataError.invalidSequence("\(where_): sample \(index): \(error)")
            }
            if let (frame, joint, channel) = sequence.firstInvalidValue() {
                throw PoseDataError.invalidSequence(
                    "\(where_): sample \(index): \(sequence.invalidValueProblem(frame: frame, joint: joint, channel: channel))")
            }
            samples.append(sequence)
        }
        try self.init(layout: layout, samples: samples)
    }
}

/// One sample as read from JSON, before its layout is known (the layout may come later in the file).
private struct ParsedSample {
    var offset: Int
    var name: String?
    var text: String?
    var gloss: String?
    var signer: String?
    var fps: Double = 0
    var values: [Float] = []
    var frameCount = 0
    var jointCount = 0
    var textFeatures: TextFeatures?

    init(from parser: inout JSONParser, index: Int) throws(PoseDataError) {
        offset = parser.index
        var sawFPS = false
        var sawFrames = false
        var sample = self
        try parser.parseObject { (parser: inout JSONParser, key: String) throws(PoseDataError) in
            switch key {
            case "name": sample.name = try Self.optionalString(&parser, key, index)
            case "text": sample.text = try Self.optionalString(&parser, key, index)
            case "gloss": sample.gloss = try Self.optionalString(&parser, key, index)
            case "signer": sample.signer = try Self.optionalString(&parser, key, index)
            case "fps":
                let start = parser.index
                sample.fps = try parser.parseDouble()
                guard PoseLimits.isValidFPS(sample.fps) else { throw parser.error("sample \(index): \(PoseLimits.fpsProblem(sample.fps))", at: start) }
                sawFPS = true
            case "frames":
                try sample.parseFrames(&parser, index)
                sawFrames = true
            case "text_features":
                if try parser.consumeNull() { break }
                sample.textFeatures = try Self.parseFeatures(&parser, index)
            default:
                _ = try parser.parseValue()
            }
        }
        guard sawFPS else { throw parser.error("sample \(index) has no \"fps\"", at: offset) }
        guard sawFrames else { throw parser.error("sample \(index) has no \"frames\"", at: offset) }
        self = sample
    }

    private static func optionalString(_ parser: inout JSONParser, _ key: String, _ index: Int) throws(PoseDataError) -> String? {
        if try parser.consumeNull() { return nil }
        guard parser.peek() == UInt8(ascii: "\"") else {
            throw parser.unexpected(expected: "a string or null for \"\(key)\" of sample \(index)")
        }
        return try parser.parseString()
    }

    private mutating func parseFrames(_ parser: inout JSONParser, _ index: Int) throws(PoseDataError) {
        var values: [Float] = []
        var frames = 0
        var joints = -1
        try parser.parseArray { (parser: inout JSONParser, frame: Int) throws(PoseDataError) in
            let frameStart = parser.index
            var count = 0
            try parser.parseArray { (parser: inout JSONParser, _: Int) throws(PoseDataError) in
                try parser.expect(UInt8(ascii: "["), "a joint [x, y, confidence] in frame \(frame) of sample \(index)")
                values.append(try parser.parseFloat())
                try parser.expect(UInt8(ascii: ","), "',' between x and y")
                values.append(try parser.parseFloat())
                try parser.expect(UInt8(ascii: ","), "',' between y and confidence")
                values.append(try parser.parseFloat())
                try parser.expect(UInt8(ascii: "]"), "']' after a joint's three values [x, y, confidence]")
                count += 1
            }
            if joints < 0 { joints = count }
            guard count == joints else {
                throw parser.error("frame \(frame) of sample \(index) has \(count) joints, frame 0 has \(joints)", at: frameStart)
            }
            frames += 1
        }
        self.values = values
        frameCount = frames
        jointCount = max(joints, 0)
    }

    private static func parseFeatures(_ parser: inout JSONParser, _ index: Int) throws(PoseDataError) -> TextFeatures {
        var values: [Float] = []
        var rows = 0
        var width = -1
        try parser.parseArray { (parser: inout JSONParser, row: Int) throws(PoseDataError) in
            let rowStart = parser.index
            var count = 0
            try parser.parseArray { (parser: inout JSONParser, _: Int) throws(PoseDataError) in
                values.append(try parser.parseFloat())
                count += 1
            }
            if width < 0 { width = count }
            guard count == width, count > 0 else {
                throw parser.error("row \(row) of the text features of sample \(index) has \(count) values, row 0 has \(width)", at: rowStart)
            }
            rows += 1
        }
        guard rows > 0 else { throw parser.error("the text features of sample \(index) have no rows") }
        return try TextFeatures(rows: rows, width: width, values: values)
    }
}

/// Per-index byte buffers filled from concurrent workers; each index is written by one worker.
private final class UnsafeChunks: @unchecked Sendable {
    private var chunks: [[UInt8]]
    private let lock = NSLock()

    init(count: Int) { chunks = Array(repeating: [], count: count) }

    func store(_ bytes: [UInt8], at index: Int) {
        lock.lock()
        chunks[index] = bytes
        lock.unlock()
    }

    var totalCount: Int { chunks.reduce(0) { $0 + $1.count } }

    func withChunk(at index: Int, _ body: ([UInt8]) -> Void) { body(chunks[index]) }
}
