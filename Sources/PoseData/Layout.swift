import Platform

/// A skeleton layout: the joints of a pose, the parts (articulators) they form, and the bones drawn
/// between them.
///
/// A layout is data, not code: any layout can be described in JSON (`Docs/data-formats.md`) and
/// every module works from the layout a sequence carries. The built-in OpenPose-137 layout is
/// ``Layout/openPose137``.
public struct Layout: Sendable, Equatable, Hashable {
    /// An articulator: a named group of joints (body, face, left hand, right hand).
    public struct Part: Sendable, Equatable, Hashable {
        /// The part's name, for example `body` or `right_hand`.
        public var name: String
        /// Indices into ``Layout/joints``, in the order the part's experts see them.
        public var joints: [Int]

        /// Creates a part from its name and joint indices.
        public init(name: String, joints: [Int]) {
            self.name = name
            self.joints = joints
        }
    }

    /// A segment drawn between two joints.
    public struct Bone: Sendable, Equatable, Hashable {
        /// Index of the first joint.
        public var from: Int
        /// Index of the second joint.
        public var to: Int

        /// Creates a bone between joints `from` and `to`.
        public init(_ from: Int, _ to: Int) {
            self.from = from
            self.to = to
        }
    }

    /// The layout's name, for example `openpose137`.
    public var name: String
    /// Joint names, one per joint, in data order.
    public var joints: [String]
    /// Parts in a fixed order; every joint belongs to exactly one part.
    public var parts: [Part]
    /// Bones drawn between joints.
    public var bones: [Bone]

    /// Creates a layout. Call ``validate()`` on layouts that come from outside.
    public init(name: String, joints: [String], parts: [Part], bones: [Bone]) {
        self.name = name
        self.joints = joints
        self.parts = parts
        self.bones = bones
    }

    /// The number of joints.
    public var jointCount: Int { joints.count }

    /// The part with the given name, if there is one.
    public func part(named name: String) -> Part? {
        parts.first { $0.name == name }
    }

    /// Checks that every part and bone refers to existing joints and that the parts cover every
    /// joint exactly once.
    public func validate() throws(PoseDataError) {
        guard !joints.isEmpty else {
            throw PoseDataError.invalidLayout("layout \(QuotedText.quoted(name)) has no joints")
        }
        guard joints.count <= PoseLimits.maximumJoints else {
            throw PoseDataError.invalidLayout(
                "layout \(QuotedText.quoted(name)) has \(joints.count) joints, over the ceiling of \(PoseLimits.maximumJoints)")
        }
        var owner = [Int](repeating: -1, count: joints.count)
        for (partIndex, part) in parts.enumerated() {
            for joint in part.joints {
                guard joints.indices.contains(joint) else {
                    throw PoseDataError.invalidLayout(
                        "part \(QuotedText.quoted(part.name)) of layout \(QuotedText.quoted(name)) names joint \(joint), but the layout has \(joints.count) joints")
                }
                guard owner[joint] < 0 else {
                    throw PoseDataError.invalidLayout(
                        "joint \(joint) (\(QuotedText.quoted(joints[joint]))) of layout \(QuotedText.quoted(name)) is in parts \(QuotedText.quoted(parts[owner[joint]].name)) and \(QuotedText.quoted(part.name))")
                }
                owner[joint] = partIndex
            }
        }
        if let orphan = owner.firstIndex(of: -1) {
            throw PoseDataError.invalidLayout(
                "joint \(orphan) (\(QuotedText.quoted(joints[orphan]))) of layout \(QuotedText.quoted(name)) belongs to no part")
        }
        for bone in bones where !joints.indices.contains(bone.from) || !joints.indices.contains(bone.to) {
            throw PoseDataError.invalidLayout(
                "bone \(bone.from)–\(bone.to) of layout \(QuotedText.quoted(name)) is outside its \(joints.count) joints")
        }
    }
}
