import Foundation
import Platform

/// Layouts as JSON: `{"name": ..., "joints": [...], "parts": {"body": [0, 1, ...], ...},
/// "bones": [[a, b], ...]}` (Docs/data-formats.md).
///
/// `parts` is an object whose member order is the parts' order. This reader keeps the order of
/// the file (it does not go through a dictionary); writers should keep insertion order too, as
/// Python's `json` does. `parts` may also be written as an array of `{"name", "joints"}` objects.
extension Layout {
    /// Parses and validates a layout from JSON text.
    public init(json: String, file: String? = nil) throws(PoseDataError) {
        try self.init(jsonBytes: Array(json.utf8), file: file)
    }

    /// Parses and validates a layout from JSON bytes; `file` names the source in errors.
    public init(jsonBytes: [UInt8], file: String? = nil) throws(PoseDataError) {
        var parser = JSONParser(bytes: jsonBytes, file: file)
        let value = try parser.parseValue()
        try parser.expectEnd()
        try self.init(jsonValue: value, context: file ?? "layout JSON")
    }

    /// Reads a layout from a JSON file.
    public init(contentsOf url: URL) throws(PoseDataError) {
        try self.init(jsonBytes: try OutputFile.read(url), file: url.path)
    }

    /// The layout as JSON text (one part per line).
    public func jsonString() -> String {
        var writer = JSONWriter()
        writeJSON(into: &writer, indent: "")
        writer.byte(0x0A)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Writes the layout as JSON, atomically.
    public func write(to url: URL) throws(PoseDataError) {
        try OutputFile.write(Array(jsonString().utf8), to: url)
    }

    func writeJSON(into writer: inout JSONWriter, indent: StaticString) {
        writer.raw("{\"name\": ")
        writer.string(name)
        writer.raw(",\n")
        writer.raw(indent)
        writer.raw(" \"joints\": [")
        for (index, joint) in joints.enumerated() {
            if index > 0 { writer.raw(", ") }
            writer.string(joint)
        }
        writer.raw("],\n")
        writer.raw(indent)
        writer.raw(" \"parts\": {")
        for (index, part) in parts.enumerated() {
            writer.raw(index > 0 ? ",\n" : "\n")
            writer.raw(indent)
            writer.raw("  ")
            writer.string(part.name)
            writer.raw(": [")
            for (position, joint) in part.joints.enumerated() {
                if position > 0 { writer.raw(", ") }
                writer.integer(joint)
            }
            writer.byte(UInt8(ascii: "]"))
        }
        writer.raw("},\n")
        writer.raw(indent)
        writer.raw(" \"bones\": [")
        for (index, bone) in bones.enumerated() {
            if index > 0 { writer.raw(", ") }
            writer.byte(UInt8(ascii: "["))
            writer.integer(bone.from)
            writer.raw(", ")
            writer.integer(bone.to)
            writer.byte(UInt8(ascii: "]"))
        }
        writer.raw("]}")
    }

    /// Builds and validates a layout from a parsed JSON object; `context` names it in errors.
    init(jsonValue value: JSONValue, context: String) throws(PoseDataError) {
        func invalid(_ message: String) -> PoseDataError { .invalidLayout("\(context): \(message)") }
        guard case .object = value else { throw invalid("a layout must be a JSON object, not \(value.kind)") }
        guard case .string(let name)? = value["name"] else { throw invalid("\"name\" must be a string") }
        guard case .array(let jointValues)? = value["joints"] else {
            throw invalid("\"joints\" must be an array of joint names")
        }
        var joints: [String] = []
        for (index, joint) in jointValues.enumerated() {
            guard case .string(let jointName) = joint else { throw invalid("joint \(index) must be a string, not \(joint.kind)") }
            joints.append(jointName)
        }
        func index(_ value: JSONValue, _ what: String) throws(PoseDataError) -> Int {
            guard case .number(let number) = value else {
                throw invalid("\(what) must be a joint index (an integer ≥ 0), not \(value.kind)")
            }
            guard number == number.rounded(), number >= 0, number < Double(Int32.max) else {
                throw invalid("\(what) must be a joint index (an integer ≥ 0), not \(number)")
            }
            return Int(number)
        }
        func indices(_ value: JSONValue, _ what: String) throws(PoseDataError) -> [Int] {
            guard case .array(let elements) = value else { throw invalid("\(what) must be an array of joint indices") }
            var result: [Int] = []
            for element in elements { result.append(try index(element, "an index of \(what)")) }
            return result
        }
        var parts: [Part] = []
        switch value["parts"] {
        case .object(let members)?:
            for member in members {
                parts.append(Part(name: member.key, joints: try indices(member.value, "part \(QuotedText.quoted(member.key))")))
            }
        case .array(let elements)?:
            for (position, element) in elements.enumerated() {
                guard case .string(let partName)? = element["name"], let partJoints = element["joints"] else {
                    throw invalid("part \(position) must be an object with \"name\" and \"joints\"")
                }
                parts.append(Part(name: partName, joints: try indices(partJoints, "part \(QuotedText.quoted(partName))")))
            }
        case nil:
            throw invalid("\"parts\" is missing: give an object {\"part name\": [joint indices], ...}")
        case let other?:
            throw invalid("\"parts\" must be an object {\"part name\": [joint indices], ...}, not \(other.kind)")
        }
        var bones: [Bone] = []
        switch value["bones"] {
        case .array(let elements)?:
            for (position, element) in elements.enumerated() {
                guard case .array(let ends) = element, ends.count == 2 else {
                    throw invalid("bone \(position) must be a pair [a, b] of joint indices")
                }
                bones.append(Bone(try index(ends[0], "bone \(position)"), try index(ends[1], "bone \(position)")))
            }
        case nil:
            break
        case let other?:
            throw invalid("\"bones\" must be an array of [a, b] pairs, not \(other.kind)")
        }
        self.init(name: name, joints: joints, parts: parts, bones: bones)
        do {
            try validate()
        } catch {
            throw invalid("\(error)")
        }
    }
}
