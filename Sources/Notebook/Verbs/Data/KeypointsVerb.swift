import PoseData

/// `keypoints SAMPLE frame: N`: one frame's joints as a table (joint, part, x, y, confidence).
struct KeypointsVerb: Verb {
    static let columns = ["joint", "part", "x", "y", "confidence"]

    let signature = VerbSignature(
        name: "keypoints",
        summary: "the keypoints of one frame of a sample as a table: joint, part, x, y, confidence",
        positional: [Parameter("sample", .sample | .dataset, "the sample (a dataset of one sample counts as it)")],
        named: [Parameter("frame", .number, "which frame (negative counts from the end)", default: .number(0)),
                Parameter("part", .string, "only the joints of this part of the layout, for example \"right_hand\"")],
        returns: "a table with a row per joint; plot it, export it to .csv, or read t.x and t.y",
        examples: ["keypoints s frame: 0", "keypoints dev[3] frame: -1 part: \"right_hand\"",
                   "export (keypoints s frame: 10) to \"out/frame10.csv\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let sample = try arguments.sample("sample")
        let requested = try arguments.integer("frame")
        let frames = sample.frameCount
        let frame = requested < 0 ? frames + requested : requested
        guard frame >= 0, frame < frames else {
            let valid = frames == 0 ? "the sample has no frames" : "valid frames are 0…\(frames - 1) (or -\(frames)…-1 from the end)"
            throw arguments.error("frame \(requested) is out of range: \(valid)", at: "frame")
        }
        let layout = sample.layout
        var partOfJoint = [String](repeating: "", count: layout.jointCount)
        for part in layout.parts.reversed() {
            for joint in part.joints where joint < partOfJoint.count { partOfJoint[joint] = part.name }
        }
        var joints = Array(0..<layout.jointCount)
        if arguments.has("part") {
            let name = try arguments.string("part")
            guard let part = layout.part(named: name) else {
                let known = layout.parts.map(\.name)
                throw arguments.error("layout '\(layout.name)' has no part '\(name)'\(Suggestions.didYouMean(name, among: known))",
                                      at: "part", hint: "its parts: " + known.joined(separator: ", "))
            }
            joints = part.joints
        }
        var table = Table(title: "keypoints of \(sample.label()), frame \(frame) of \(frames)", columns: Self.columns)
        for joint in joints {
            let point = sample.point(frame: frame, joint: joint)
            table.append([.string(layout.joints[joint]), .string(partOfJoint[joint]),
                          .number(Double(point.x)), .number(Double(point.y)), .number(Double(point.confidence))])
        }
        return .table(table)
    }
}
