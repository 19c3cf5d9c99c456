import Foundation
import Platform

extension PoseFile {
    /// Reads a `.pose` file of version 0.1 or 0.2.
    public init(contentsOf url: URL) throws(PoseDataError) {
        try self.init(bytes: try OutputFile.read(url), file: url.path)
    }

    /// Parses the bytes of a `.pose` file of version 0.1 or 0.2; `file` names it in errors.
    ///
    /// Every count in the file is checked against the bytes left before anything is allocated,
    /// so corrupt or hostile input throws ``PoseDataError/malformed(file:offset:message:)`` with
    /// the byte offset instead of crashing or exhausting memory. As in pose-format, bytes after
    /// the body are ignored, and a v0.1 body's frame count is inferred from the bytes left
    /// (its 16-bit frame field overflows on long videos).
    public init(bytes: [UInt8], file: String? = nil) throws(PoseDataError) {
        var reader = ByteReader(bytes: bytes, file: file)
        let version = try reader.readFloat32("the version")
        let isVersion01 = (version * 1000).rounded() == 100
        let isVersion02 = (version * 1000).rounded() == 200
        if version == 0 {
            throw PoseDataError.unsupported(
                "\(file ?? "input"): .pose version 0.0 is not supported; re-save the file with pose-format (Pose.read then write) to get version 0.2")
        }
        guard isVersion01 || isVersion02 else {
            let shown = version.isFinite ? String(version) : "\(version)"
            throw PoseDataError.malformed(file: file, offset: 0, message:
                "version \(shown) is not a .pose version this reader knows (0.1, 0.2); is this a .pose file?")
        }
        let width = try reader.readUInt16("the width")
        let height = try reader.readUInt16("the height")
        let depth = try reader.readUInt16("the depth")
        let componentCount = Int(try reader.readUInt16("the component count"))
        guard componentCount > 0 else {
            throw reader.malformed("the header declares no components")
        }
        var components: [Component] = []
        for index in 0..<componentCount {
            components.append(try Self.readComponent(index: index, from: &reader))
        }
        let dimensions = max(0, (components.map(\.format.count).max() ?? 1) - 1)
        let points = components.reduce(0) { $0 + $1.points.count }

        let fps: Float
        let frames: Int
        let people: Int
        if isVersion02 {
            fps = try reader.readFloat32("the fps")
            frames = Int(try reader.readUInt32("the frame count"))
            people = Int(try reader.readUInt16("the people count"))
        } else {
            fps = Float(try reader.readUInt16("the fps"))
            _ = try reader.readUInt16("the frame count")
            people = Int(try reader.readUInt16("the people count"))
            if let bytesPerFrame = checkedProduct([people, points, dimensions + 1, 4]), bytesPerFrame > 0 {
                frames = reader.remaining / bytesPerFrame
            } else {
                frames = 0
            }
        }
        guard fps.isFinite, fps >= 0 else {
            throw reader.malformed("the fps is \(fps); it must be a finite number ≥ 0")
        }
        guard points <= PoseLimits.maximumJoints, frames <= PoseLimits.maximumFramesPerSample else {
            throw reader.malformed("the file declares \(frames) frames of \(points) points; the ceilings are \(PoseLimits.maximumFramesPerSample) frames and \(PoseLimits.maximumJoints) points")
        }
        let bodyBytes = checkedProduct([frames, people, points, dimensions + 1, 4])
        guard let bodyBytes, bodyBytes <= reader.remaining else {
            throw reader.malformed(
                "the body declares \(frames) frames × \(people) people × \(points) points × \(dimensions + 1) values (\(bodyBytes.map { "\($0) bytes" } ?? "more bytes than any file holds")), but only \(reader.remaining) bytes are left (truncated or corrupt file)")
        }
        // bodyBytes fits in the input, so these products cannot overflow.
        let pointFrames = frames * people * points
        let data = try reader.readFloat32Array(count: pointFrames * dimensions, "the coordinates")
        let confidence = try reader.readFloat32Array(count: pointFrames, "the confidences")
        try self.init(version: version, width: width, height: height, depth: depth, components: components,
                      fps: fps, frameCount: frames, peopleCount: people, data: data, confidence: confidence)
    }

    private static func readComponent(index: Int, from reader: inout ByteReader) throws(PoseDataError) -> Component {
        let what = "component \(index)"
        let name = try reader.readString("the name of \(what)")
        let format = try reader.readString("the point format of \(what) \(QuotedText.quoted(name))")
        guard !format.isEmpty else {
            throw reader.malformed("component \(QuotedText.quoted(name)) has an empty point format (expected letters such as XYC)")
        }
        let pointCount = Int(try reader.readUInt16("the point count of \(QuotedText.quoted(name))"))
        let limbCount = Int(try reader.readUInt16("the limb count of \(QuotedText.quoted(name))"))
        let colorCount = Int(try reader.readUInt16("the colour count of \(QuotedText.quoted(name))"))
        // Each point name takes at least its 2-byte length: check before reserving.
        try reader.require(pointCount * 2 + limbCount * 4 + colorCount * 6, for: "the points, limbs and colours of \(QuotedText.quoted(name))")
        var points: [String] = []
        points.reserveCapacity(pointCount)
        for point in 0..<pointCount {
            points.append(try reader.readString("point \(point) of \(QuotedText.quoted(name))"))
        }
        try reader.require(limbCount * 4 + colorCount * 6, for: "the limbs and colours of \(QuotedText.quoted(name))")
        var limbs: [Limb] = []
        limbs.reserveCapacity(limbCount)
        for _ in 0..<limbCount {
            let from = try reader.readUInt16("a limb of \(QuotedText.quoted(name))")
            let to = try reader.readUInt16("a limb of \(QuotedText.quoted(name))")
            limbs.append(Limb(from, to))
        }
        var colors: [Color] = []
        colors.reserveCapacity(colorCount)
        for _ in 0..<colorCount {
            let red = try reader.readUInt16("a colour of \(QuotedText.quoted(name))")
            let green = try reader.readUInt16("a colour of \(QuotedText.quoted(name))")
            let blue = try reader.readUInt16("a colour of \(QuotedText.quoted(name))")
            colors.append(Color(red, green, blue))
        }
        return Component(name: name, format: format, points: points, limbs: limbs, colors: colors)
    }
}

extension PoseFile {
    /// The file's bytes in pose-format version 0.2.
    public func encoded() throws(PoseDataError) -> [UInt8] {
        try validate()
        var writer = ByteWriter(capacity: 64 + (data.count + confidence.count) * 4)
        writer.write(PoseFile.writtenVersion)
        writer.write(width)
        writer.write(height)
        writer.write(depth)
        writer.write(UInt16(components.count))
        for component in components {
            writer.writeString(component.name)
            writer.writeString(component.format)
            writer.write(UInt16(component.points.count))
            writer.write(UInt16(component.limbs.count))
            writer.write(UInt16(component.colors.count))
            for point in component.points { writer.writeString(point) }
            for limb in component.limbs {
                writer.write(limb.from)
                writer.write(limb.to)
            }
            for color in component.colors {
                writer.write(color.red)
                writer.write(color.green)
                writer.write(color.blue)
            }
        }
        writer.write(fps)
        writer.write(UInt32(frameCount))
        writer.write(UInt16(peopleCount))
        writer.write(data)
        writer.write(confidence)
        return writer.bytes
    }

    /// Writes the file atomically as pose-format version 0.2.
    public func write(to url: URL) throws(PoseDataError) {
        try OutputFile.write(try encoded(), to: url)
    }
}

/// The product of `factors`, or nil when it overflows `Int`.
func checkedProduct(_ factors: [Int]) -> Int? {
    var product = 1
    for factor in factors {
        let (next, overflow) = product.multipliedReportingOverflow(by: factor)
        if overflow { return nil }
        product = next
    }
    return product
}
