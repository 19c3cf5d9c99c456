import Platform

/// MediaPipe Holistic landmarks (as pose-format stores them) mapped to ``Layout/openPose137``.
///
/// The mapping is the one the shared fingerspelling pickles were made with
/// (`data/fingerspelling/README.md`): BODY_25 from the 33 pose landmarks (neck and mid-hip are
/// the means of the two shoulders and the two hips), the widely used 68-point face mapping from
/// the 478-point face mesh plus the two iris centres as pupils, and the hands copied (MediaPipe and
/// OpenPose share the 21-joint hand order). A joint made from two landmarks has the smaller of
/// their confidences. A joint with confidence 0 is missing and gets x = y = 0.
public enum MediaPipeHolistic {
    /// Component (part) names of a pose-format Holistic file.
    public static let bodyPart = "POSE_LANDMARKS"
    public static let facePart = "FACE_LANDMARKS"
    public static let leftHandPart = "LEFT_HAND_LANDMARKS"
    public static let rightHandPart = "RIGHT_HAND_LANDMARKS"

    /// BODY_25 joint → one pose landmark, or the mean of two.
    static let bodySources: [[Int]] = [
        [0], [11, 12], [12], [14], [16], [11], [13], [15], [23, 24], [24], [26], [28], [23], [25], [27],
        [5], [2], [8], [7], [31], [31], [29], [32], [32], [30],
    ]

    /// OpenPose face 0–67 from face-mesh indices, then the pupils from the iris centres.
    static let faceSources: [Int] = [
        162, 234, 93, 58, 172, 136, 149, 148, 152, 377, 378, 365, 397, 288, 323, 454, 389,
        71, 63, 105, 66, 107, 336, 296, 334, 293, 301,
        168, 197, 5, 4, 75, 97, 2, 326, 305,
        33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,
        61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181, 78, 82, 13, 312, 308, 317, 14, 87,
        468, 473,
    ]

    /// Whether `layout` has the four Holistic parts this conversion needs, with enough landmarks.
    public static func canConvert(_ layout: Layout) -> Bool {
        (try? sourceJoints(in: layout)) != nil
    }

    /// `sequence` (a Holistic layout, for example read from a MediaPipe `.pose` file) in
    /// OpenPose-137, with its fps and metadata.
    public static func openPose137(from sequence: PoseSequence) throws(PoseDataError) -> PoseSequence {
        let sources = try sourceJoints(in: sequence.layout)
        let targetJoints = Layout.openPose137.jointCount
        let sourceJoints = sequence.jointCount
        let frames = sequence.frameCount
        var values = [Float](repeating: 0, count: frames * targetJoints * 3)
        sequence.values.withUnsafeBufferPointer { input in
            for frame in 0..<frames {
                let inBase = frame * sourceJoints * 3
                let outBase = frame * targetJoints * 3
                for (joint, from) in sources.enumerated() {
                    let a = inBase + from[0] * 3
                    var x = input[a], y = input[a + 1], confidence = input[a + 2]
                    if from.count == 2 {
                        let b = inBase + from[1] * 3
                        x = (x + input[b]) / 2
                        y = (y + input[b + 1]) / 2
                        confidence = min(confidence, input[b + 2])
                    }
                    let o = outBase + joint * 3
                    if confidence > 0 {
                        values[o] = x
                        values[o + 1] = y
                        values[o + 2] = confidence
                    }
                }
            }
        }
        return try PoseSequence(layout: .openPose137, fps: sequence.fps, values: values, name: sequence.name,
                                text: sequence.text, gloss: sequence.gloss, signer: sequence.signer,
                                textFeatures: sequence.textFeatures)
    }

    /// For each OpenPose-137 joint, the one or two joints of `layout` it is made from.
    static func sourceJoints(in layout: Layout) throws(PoseDataError) -> [[Int]] {
        func part(_ name: String, atLeast count: Int) throws(PoseDataError) -> [Int] {
            guard let part = layout.part(named: name) else {
                throw PoseDataError.unsupported(
                    "layout \(QuotedText.quoted(layout.name)) has no part \(QuotedText.quoted(name)); converting to OpenPose-137 needs MediaPipe Holistic's \(bodyPart), \(facePart), \(leftHandPart) and \(rightHandPart)")
            }
            guard part.joints.count >= count else {
                throw PoseDataError.unsupported(
                    "part \(QuotedText.quoted(name)) of layout \(QuotedText.quoted(layout.name)) has \(part.joints.count) joints; MediaPipe Holistic's has at least \(count)")
            }
            return part.joints
        }
        let body = try part(bodyPart, atLeast: 33)
        let face = try part(facePart, atLeast: 474)
        let left = try part(leftHandPart, atLeast: 21)
        let right = try part(rightHandPart, atLeast: 21)
        return bodySources.map { $0.map { body[$0] } }
            + faceSources.map { [face[$0]] }
            + (0..<21).map { [left[$0]] }
            + (0..<21).map { [right[$0]] }
    }
}
