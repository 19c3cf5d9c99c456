/// The OpenPose components pose-format itself uses (`pose_format.utils.openpose`): the names,
/// point names, limbs and colours its OpenPose reader writes, so an OpenPose-137 sequence saved
/// here looks in pose-format's tools exactly like one it converted from OpenPose JSON.
///
/// The four components, `pose_keypoints_2d` (BODY_25), `face_keypoints_2d` (68 + 2 pupils),
/// `hand_left_keypoints_2d` and `hand_right_keypoints_2d`, all `XYC`, list their points in
/// OpenPose order, which is also ``Layout/openPose137``'s joint order.
enum OpenPoseComponents {
    static let bodyPoints = [
        "Nose", "Neck", "RShoulder", "RElbow", "RWrist", "LShoulder", "LElbow", "LWrist", "MidHip", "RHip", "RKnee",
        "RAnkle", "LHip", "LKnee", "LAnkle", "REye", "LEye", "REar", "LEar", "LBigToe", "LSmallToe", "LHeel", "RBigToe",
        "RSmallToe", "RHeel",
    ]

    static let bodyLimbs: [(String, String)] = [
        ("Neck", "RShoulder"), ("RShoulder", "RElbow"), ("RElbow", "RWrist"), ("Neck", "LShoulder"),
        ("LShoulder", "LElbow"), ("LElbow", "LWrist"), ("Neck", "MidHip"),
        ("Nose", "LEye"), ("Nose", "REye"), ("Nose", "LEar"), ("Nose", "REar"), ("Neck", "Nose"),
        ("MidHip", "RHip"), ("RHip", "RKnee"), ("RKnee", "RAnkle"), ("MidHip", "LHip"), ("LHip", "LKnee"),
        ("LKnee", "LAnkle"),
        ("RAnkle", "RHeel"), ("RAnkle", "RBigToe"), ("RBigToe", "RSmallToe"), ("LAnkle", "LHeel"),
        ("LAnkle", "LBigToe"), ("LBigToe", "LSmallToe"),
    ]

    static let handPoints = [
        "BASE", "T_STT", "T_BCMC", "T_MCP", "T_IP", "I_CMC", "I_MCP", "I_PIP", "I_DIP", "M_CMC", "M_MCP", "M_PIP",
        "M_DIP", "R_CMC", "R_MCP", "R_PIP", "R_DIP", "P_CMC", "P_MCP", "P_PIP", "P_DIP",
    ]

    static let handLimbs: [(String, String)] = [
        ("BASE", "T_STT"), ("BASE", "I_CMC"), ("BASE", "M_CMC"), ("BASE", "R_CMC"), ("BASE", "P_CMC"),
        ("T_STT", "T_BCMC"), ("T_BCMC", "T_MCP"), ("T_MCP", "T_IP"),
        ("I_CMC", "I_MCP"), ("I_MCP", "I_PIP"), ("I_PIP", "I_DIP"),
        ("M_CMC", "M_MCP"), ("M_MCP", "M_PIP"), ("M_PIP", "M_DIP"),
        ("R_CMC", "R_MCP"), ("R_MCP", "R_PIP"), ("R_PIP", "R_DIP"),
        ("P_CMC", "P_MCP"), ("P_MCP", "P_PIP"), ("P_PIP", "P_DIP"),
    ]

    /// Face points: border FB_0–16, eyebrows FEB_17–26, nose FN_27–35, eyes FE_36–47, outer lips
    /// FLO_48–59, inner lips FLI_60–67, pupils FP_68–69 — numbered as OpenPose numbers them.
    static let facePoints: [String] = {
        func named(_ prefix: String, _ range: ClosedRange<Int>) -> [String] { range.map { "\(prefix)_\($0)" } }
        return named("FB", 0...16) + named("FEB", 17...26) + named("FN", 27...35) + named("FE", 36...47)
            + named("FLO", 48...59) + named("FLI", 60...67) + named("FP", 68...69)
    }()

    static let faceLimbs: [(String, String)] = {
        func pairs(_ prefix: String, _ pairs: [(Int, Int)]) -> [(String, String)] {
            pairs.map { ("\(prefix)_\($0.0)", "\(prefix)_\($0.1)") }
        }
        let borderLeft = pairs("FB", (1...8).reversed().map { ($0, $0 - 1) })
        let borderRight = pairs("FB", (8...15).map { ($0, $0 + 1) })
        let outerLips = pairs("FLO", (48...58).map { ($0, $0 + 1) } + [(59, 48)])
        let innerLips = pairs("FLI", (60...66).map { ($0, $0 + 1) } + [(67, 60)])
        let nose = pairs("FN", (27...30).map { ($0, $0 + 1) } + (31...34).map { ($0, $0 + 1) } + [(30, 33)])
        let leftBrow = pairs("FEB", (17...20).map { ($0, $0 + 1) })
        let rightBrow = pairs("FEB", (22...25).map { ($0, $0 + 1) })
        let leftEye = pairs("FE", (36...40).map { ($0, $0 + 1) } + [(41, 36)])
        let rightEye = pairs("FE", (42...46).map { ($0, $0 + 1) } + [(47, 42)])
        return borderLeft + borderRight + outerLips + innerLips + nose + leftBrow + rightBrow + leftEye + rightEye
    }()

    /// pose-format's hand palette: one shade per point, pinky overridden in orange for contrast.
    static let handColors: [PoseFile.Color] = {
        let base: [[Int]] = [[192, 0, 0], [0, 0, 192], [0, 192, 0], [0, 192, 192], [192, 127, 0], [127, 127, 127]]
        var colors = (-1..<(handPoints.count - 1)).map { i -> PoseFile.Color in
            // Python's floor division and modulo round towards −∞: base[-1] is the grey entry.
            let group = i >= 0 ? i / 4 : -1
            let shade = ((i % 4) + 4) % 4
            let rgb = base[(group + base.count) % base.count].map { UInt16($0 + 35 * shade) }
            return PoseFile.Color(rgb[0], rgb[1], rgb[2])
        }
        colors[17] = PoseFile.Color(255, 128, 0)
        colors[20] = PoseFile.Color(255, 128, 0)
        colors[19] = PoseFile.Color(255, 153, 51)
        colors[18] = PoseFile.Color(255, 178, 102)
        return colors
    }()

    private static func limbs(_ named: [(String, String)], in points: [String]) -> [PoseFile.Limb] {
        named.map { PoseFile.Limb(UInt16(points.firstIndex(of: $0.0)!), UInt16(points.firstIndex(of: $0.1)!)) }
    }

    static let names = ["pose_keypoints_2d", "face_keypoints_2d", "hand_left_keypoints_2d", "hand_right_keypoints_2d"]

    /// The four components, as pose-format's `OpenPose_Components`.
    static let components: [PoseFile.Component] = [
        PoseFile.Component(name: names[0], format: "XYC", points: bodyPoints,
                           limbs: limbs(bodyLimbs, in: bodyPoints), colors: [PoseFile.Color(255, 0, 0)]),
        PoseFile.Component(name: names[1], format: "XYC", points: facePoints,
                           limbs: limbs(faceLimbs, in: facePoints), colors: [PoseFile.Color(128, 0, 0)]),
        PoseFile.Component(name: names[2], format: "XYC", points: handPoints,
                           limbs: limbs(handLimbs, in: handPoints), colors: handColors),
        PoseFile.Component(name: names[3], format: "XYC", points: handPoints,
                           limbs: limbs(handLimbs, in: handPoints), colors: handColors),
    ]

    /// Whether `components` are OpenPose-137's four components (by name and point count), in order.
    static func matches(_ components: [PoseFile.Component]) -> Bool {
        components.map(\.name) == names && components.map(\.points.count) == [25, 70, 21, 21]
    }
}
