extension Layout {
    /// OpenPose-137: BODY_25 (joints 0–24), face 68 + 2 pupils (25–94), left hand 21 (95–115),
    /// right hand 21 (116–136), with OpenPose's render bones.
    ///
    /// Parts: `body`, `face`, `left_hand`, `right_hand`, in that order.
    public static let openPose137: Layout = {
        let body = ["nose", "neck", "right_shoulder", "right_elbow", "right_wrist", "left_shoulder",
                    "left_elbow", "left_wrist", "mid_hip", "right_hip", "right_knee", "right_ankle",
                    "left_hip", "left_knee", "left_ankle", "right_eye", "left_eye", "right_ear",
                    "left_ear", "left_big_toe", "left_small_toe", "left_heel", "right_big_toe",
                    "right_small_toe", "right_heel"]
        let face = (0..<68).map { "face_\($0)" } + ["right_pupil", "left_pupil"]
        let fingers = ["thumb", "index", "middle", "ring", "pinky"]
        let hand = ["wrist"] + fingers.flatMap { finger in (1...4).map { "\(finger)_\($0)" } }
        let joints = body + face + hand.map { "left_hand_\($0)" } + hand.map { "right_hand_\($0)" }

        let bodyBones: [(Int, Int)] = [
            (1, 8), (1, 2), (1, 5), (2, 3), (3, 4), (5, 6), (6, 7), (8, 9), (9, 10), (10, 11),
            (8, 12), (12, 13), (13, 14), (1, 0), (0, 15), (15, 17), (0, 16), (16, 18), (14, 19),
            (19, 20), (14, 21), (11, 22), (22, 23), (11, 24),
        ]
        // Face contours: jaw, brows, nose bridge, nose base, eyes and lips (closed loops).
        func chain(_ range: ClosedRange<Int>, closed: Bool = false) -> [(Int, Int)] {
            var pairs = zip(range.dropLast(), range.dropFirst()).map { ($0, $1) }
            if closed { pairs.append((range.upperBound, range.lowerBound)) }
            return pairs
        }
        let faceBones = chain(0...16) + chain(17...21) + chain(22...26) + chain(27...30) + chain(31...35)
            + chain(36...41, closed: true) + chain(42...47, closed: true)
            + chain(48...59, closed: true) + chain(60...67, closed: true)
        let handBones: [(Int, Int)] = (0..<5).flatMap { finger -> [(Int, Int)] in
            let base = 1 + finger * 4
            return [(0, base), (base, base + 1), (base + 1, base + 2), (base + 2, base + 3)]
        }
        func shifted(_ pairs: [(Int, Int)], by offset: Int) -> [Bone] {
            pairs.map { Bone($0.0 + offset, $0.1 + offset) }
        }
        return Layout(
            name: "openpose137",
            joints: joints,
            parts: [
                Part(name: "body", joints: Array(0..<25)),
                Part(name: "face", joints: Array(25..<95)),
                Part(name: "left_hand", joints: Array(95..<116)),
                Part(name: "right_hand", joints: Array(116..<137)),
            ],
            bones: shifted(bodyBones, by: 0) + shifted(faceBones, by: 25)
                + shifted(handBones, by: 95) + shifted(handBones, by: 116))
    }()
}
