import Platform

extension PoseFile {
    /// The layout a ``PoseSequence`` read from this file follows.
    ///
    /// OpenPose's four components (as pose-format names them: `pose_keypoints_2d`,
    /// `face_keypoints_2d`, `hand_left_keypoints_2d`, `hand_right_keypoints_2d`, 25/70/21/21 points)
    /// are ``Layout/openPose137``. Any other file keeps its own layout: one joint per point, named
    /// `COMPONENT.POINT` (for example `POSE_LANDMARKS.NOSE`), one part per component, the limbs as
    /// bones; the layout's name is `pose:` followed by the component names joined with `+`.
    public func layout() throws(PoseDataError) -> Layout {
        if OpenPoseComponents.matches(components) { return .openPose137 }
        var joints: [String] = []
        var parts: [Layout.Part] = []
        var bones: [Layout.Bone] = []
        for component in components {
            let offset = joints.count
            for limb in component.limbs {
                guard Int(limb.from) < component.points.count, Int(limb.to) < component.points.count else {
                    throw PoseDataError.invalidLayout(
                        "component \(QuotedText.quoted(component.name)) has a limb \(limb.from)–\(limb.to), but only \(component.points.count) points")
                }
                bones.append(Layout.Bone(offset + Int(limb.from), offset + Int(limb.to)))
            }
            joints += component.points.map { "\(component.name).\($0)" }
            parts.append(Layout.Part(name: component.name, joints: Array(offset..<joints.count)))
        }
        let layout = Layout(name: "pose:" + components.map(\.name).joined(separator: "+"),
                            joints: joints, parts: parts, bones: bones)
        try layout.validate()
        return layout
    }

    /// The frames of one person as a 2-D ``PoseSequence`` in ``layout()``.
    ///
    /// x and y are each component's `X` and `Y` values (the first two when its format names
    /// neither); other dimensions such as Z are dropped. Confidence is kept as it is. A missing
    /// point (confidence 0) whose stored value is not finite gets x = y = 0; a non-finite value of
    /// a present point is an error naming frame and point.
    public func sequence(person: Int = 0) throws(PoseDataError) -> PoseSequence {
        guard peopleCount > 0 else {
            throw PoseDataError.invalidSequence(".pose data has no people, so there is no sequence to read")
        }
        guard (0..<peopleCount).contains(person) else {
            throw PoseDataError.invalidSequence(".pose data has \(peopleCount) people; person \(person) does not exist")
        }
        let dimensions = dimensionCount
        guard dimensions >= 2 else {
            throw PoseDataError.unsupported(".pose data with \(dimensions) coordinate(s) per point cannot become a 2-D sequence")
        }
        let layout = try layout()
        let points = pointCount
        // Per point, where its X and Y sit among the D stored values.
        var xChannel = [Int](), yChannel = [Int]()
        xChannel.reserveCapacity(points)
        yChannel.reserveCapacity(points)
        for component in components {
            let letters = Array(component.format.uppercased())
            var x = letters.firstIndex(of: "X") ?? 0
            var y = letters.firstIndex(of: "Y") ?? 1
            if x >= dimensions || y >= dimensions || x == y { x = 0; y = 1 }
            xChannel += Array(repeating: x, count: component.points.count)
            yChannel += Array(repeating: y, count: component.points.count)
        }
        var values = [Float](repeating: 0, count: frameCount * points * 3)
        for frame in 0..<frameCount {
            let base = (frame * peopleCount + person) * points
            for point in 0..<points {
                let source = (base + point) * dimensions
                let confidence = self.confidence[base + point]
                var x = data[source + xChannel[point]]
                var y = data[source + yChannel[point]]
                if !x.isFinite || !y.isFinite || !confidence.isFinite {
                    guard confidence == 0 else {
                        throw PoseDataError.invalidSequence(
                            ".pose frame \(frame), point \(point) (\(QuotedText.quoted(layout.joints[point]))) holds a non-finite value")
                    }
                    x = 0
                    y = 0
                }
                let target = (frame * points + point) * 3
                values[target] = x
                values[target + 1] = y
                values[target + 2] = confidence
            }
        }
        let sequence = try PoseSequence(layout: layout, fps: Double(fps), values: values)
        if let (frame, joint, channel) = sequence.firstInvalidValue() {
            throw PoseDataError.invalidSequence(".pose data, \(sequence.invalidValueProblem(frame: frame, joint: joint, channel: channel))")
        }
        return sequence
    }

    /// Every person's frames, one ``PoseSequence`` per person (see ``sequence(person:)``).
    public func sequences() throws(PoseDataError) -> [PoseSequence] {
        var result: [PoseSequence] = []
        for person in 0..<peopleCount { result.append(try sequence(person: person)) }
        return result
    }

    /// A one-person `.pose` file holding `sequence`, with format `XYC`.
    ///
    /// An ``Layout/openPose137`` sequence gets pose-format's own OpenPose components (names,
    /// points, limbs and colours, see ``layout()``). Any other layout becomes one component per
    /// part: the part's joints as points (a `PART.` prefix is removed, so layouts read from
    /// `.pose` files keep their point names), the bones within the part as limbs, and one colour
    /// per component. Bones between two parts have no place in `.pose` and are dropped; a layout
    /// whose parts do not list joints in order 0, 1, 2, ... has its points stored part by part.
    /// The canvas size is the extent of the present points (at least 1, at most 65535); name,
    /// text, gloss, signer and text features have no place in `.pose` and are not written.
    public init(sequence: PoseSequence) throws(PoseDataError) {
        if let (frame, joint, channel) = sequence.firstNonFinite() {
            throw PoseDataError.invalidSequence(
                "sequence\(sequence.name.map { " \(QuotedText.quoted($0))" } ?? ""): frame \(frame), joint \(joint), channel \(channel) is not finite; fix or drop it before writing .pose")
        }
        let layout = sequence.layout
        let components: [Component]
        let order: [Int]
        if layout == .openPose137 {
            components = OpenPoseComponents.components
            order = Array(0..<layout.jointCount)
        } else {
            var built: [Component] = []
            var joints: [Int] = []
            for (index, part) in layout.parts.enumerated() {
                var local: [Int: UInt16] = [:]
                for (position, joint) in part.joints.enumerated() { local[joint] = UInt16(truncatingIfNeeded: position) }
                let limbs = layout.bones.compactMap { bone -> Limb? in
                    guard let from = local[bone.from], let to = local[bone.to] else { return nil }
                    return Limb(from, to)
                }
                let prefix = part.name + "."
                let points = part.joints.map { joint -> String in
                    let name = layout.joints[joint]
                    return name.hasPrefix(prefix) && name.count > prefix.count ? String(name.dropFirst(prefix.count)) : name
                }
                built.append(Component(name: part.name, format: "XYC", points: points, limbs: limbs,
                                       colors: [Self.partPalette[index % Self.partPalette.count]]))
                joints += part.joints
            }
            guard joints.count == layout.jointCount else {
                throw PoseDataError.invalidLayout(
                    "layout \(QuotedText.quoted(layout.name)): its parts cover \(joints.count) of \(layout.jointCount) joints; a .pose file stores joints through its parts")
            }
            components = built
            order = joints
        }
        let frames = sequence.frameCount
        let points = order.count
        var data = [Float](repeating: 0, count: frames * points * 2)
        var confidence = [Float](repeating: 0, count: frames * points)
        var maxX: Float = 1, maxY: Float = 1
        sequence.values.withUnsafeBufferPointer { values in
            for frame in 0..<frames {
                for (point, joint) in order.enumerated() {
                    let source = (frame * points + joint) * 3
                    let target = frame * points + point
                    data[target * 2] = values[source]
                    data[target * 2 + 1] = values[source + 1]
                    confidence[target] = values[source + 2]
                    if values[source + 2] > 0 {
                        maxX = max(maxX, values[source])
                        maxY = max(maxY, values[source + 1])
                    }
                }
            }
        }
        func canvas(_ extent: Float) -> UInt16 {
            extent.isFinite ? UInt16(min(65535, max(1, extent.rounded(.up)))) : 65535
        }
        try self.init(width: canvas(maxX), height: canvas(maxY), depth: 0, components: components,
                      fps: Float(sequence.fps), frameCount: frames, peopleCount: 1, data: data, confidence: confidence)
    }

    /// Colours for generic components, one per part, distinct on white and black.
    static let partPalette: [Color] = [
        Color(255, 0, 0), Color(0, 128, 255), Color(0, 192, 0), Color(192, 0, 192),
        Color(255, 128, 0), Color(0, 192, 192), Color(128, 64, 0), Color(128, 128, 128),
    ]
}
