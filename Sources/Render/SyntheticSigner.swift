import Foundation
import PoseData

/// A deterministic, plausible OpenPose-137 signer for benchmarks, demos and tests: an upper body
/// with the right hand raised and its fingers curling and spreading, the left hand lower, a face
/// whose mouth opens and closes, and the legs missing (confidence 0) as in real sign-language data.
/// Coordinates are in the pixel-like units of the fingerspelling data (about 0–600).
public enum SyntheticSigner {
    /// `frames` frames at `fps`; the same `seed` always gives the same motion.
    public static func sequence(frames: Int, seed: UInt64, fps: Double = 25, name: String? = nil,
                                text: String? = nil) throws(PoseDataError) -> PoseSequence {
        let layout = Layout.openPose137
        var random = SeededGenerator(seed: seed)
        let motion = SignerMotion(random: &random)
        let jitter = (0..<(layout.jointCount * 2)).map { _ in (random.nextUnit() - 0.5) * 2 }
        let confidenceDip = (0..<layout.jointCount).map { _ in random.nextUnit() < 0.08 ? 0.4 + 0.5 * random.nextUnit() : 1 }

        var values = [Float](repeating: 0, count: max(frames, 0) * layout.jointCount * 3)
        for frame in 0..<max(frames, 0) {
            var pose = SignerPose(motion: motion, time: Double(frame) / max(fps, 1), joints: layout.jointCount)
            pose.drawBodyAndHands()
            let base = frame * layout.jointCount * 3
            for joint in 0..<layout.jointCount {
                let (x, y, c) = pose.joints[joint]
                guard c > 0 else { continue }
                values[base + joint * 3] = Float(x + 0.8 * jitter[joint * 2])
                values[base + joint * 3 + 1] = Float(y + 0.8 * jitter[joint * 2 + 1])
                values[base + joint * 3 + 2] = Float(c * confidenceDip[joint])
            }
        }
        return try PoseSequence(layout: layout, fps: fps.isFinite && fps > 0 ? fps : 25, values: values,
                                name: name ?? "synthetic-\(seed)", text: text ?? "synthetic signer \(seed)")
    }
}

/// The seeded phases and speeds of the signer's twelve oscillations.
private struct SignerMotion {
    let phases: [Double]
    let speeds: [Double]

    init(random: inout SeededGenerator) {
        phases = (0..<12).map { _ in random.nextUnit() * 2 * Double.pi }
        speeds = (0..<12).map { _ in 0.6 + random.nextUnit() * 1.2 }
    }
}

/// One frame of the signer: (x, y, confidence) per OpenPose-137 joint, drawn part by part.
private struct SignerPose {
    let motion: SignerMotion
    let t: Double
    var joints: [(Double, Double, Double)]

    init(motion: SignerMotion, time: Double, joints count: Int) {
        self.motion = motion
        t = time
        joints = [(Double, Double, Double)](repeating: (0, 0, 0), count: count)
    }

    /// Oscillation `k` at this frame's time, in −1...1.
    func wave(_ k: Int) -> Double { sin(t * motion.speeds[k] * 2 * Double.pi * 0.5 + motion.phases[k]) }

    mutating func drawBodyAndHands() {
        // Body (BODY_25): the torso sways a little; the right arm raises the hand beside the face.
        let sway = 6 * wave(0)
        let neck = (250 + sway, 250.0)
        let nose = (246 + sway * 1.2, 131 + 3 * wave(1))
        joints[0] = (nose.0, nose.1, 1)
        joints[1] = (neck.0, neck.1, 1)
        joints[2] = (neck.0 - 100, 249, 1)
        joints[5] = (neck.0 + 100, 251, 1)
        let rightWrist = (125 + 25 * wave(2), 290 + 30 * wave(3))
        joints[3] = (95 + 8 * wave(2), 400 + 6 * wave(3), 0.8)
        joints[4] = (rightWrist.0, rightWrist.1, 0.95)
        let leftWrist = (380 + 10 * wave(4), 520 + 10 * wave(5))
        joints[6] = (392 + 4 * wave(4), 410, 0.7)
        joints[7] = (leftWrist.0, leftWrist.1, 0.6)
        joints[8] = (neck.0 - 4, 533, 0.4)
        joints[9] = (neck.0 - 70, 532, 0.5)
        joints[12] = (neck.0 + 60, 534, 0.4)
        joints[15] = (nose.0 - 20, nose.1 - 19, 1)
        joints[16] = (nose.0 + 21, nose.1 - 19, 0.9)
        joints[17] = (nose.0 - 38, nose.1 - 8, 1)
        joints[18] = (nose.0 + 39, nose.1 - 8, 1)
        // Knees, ankles and feet (10, 11, 13, 14, 19–24) stay missing.
        drawFace(around: nose)
        drawHand(offset: 116, wrist: rightWrist, pointing: -Double.pi / 2 - 0.2 * wave(9), size: 70,
                 curlPhase: 10, confidence: 0.9, mirrored: false)
        drawHand(offset: 95, wrist: leftWrist, pointing: Double.pi / 2 + 0.3, size: 60,
                 curlPhase: 11, confidence: 0.5, mirrored: true)
    }

    /// Face 68 + 2 pupils: jaw, brows, nose, eyes, lips (the mouth opening and closing) around the nose.
    mutating func drawFace(around nose: (Double, Double)) {
        let mouthOpen = 4 + 4 * max(0, wave(6))
        func face(_ index: Int, _ x: Double, _ y: Double) { joints[25 + index] = (nose.0 + x, nose.1 + y, 1) }
        for k in 0...16 {
            let angle = Double.pi * (1.05 - 1.1 * Double(k) / 16)
            face(k, 40 * cos(angle), -10 + 48 * sin(angle) * (sin(angle) > 0 ? 1 : 0.3))
        }
        for k in 0..<5 {
            face(17 + k, -34 + Double(k) * 7, -30 + (abs(Double(k) - 2) * 1.5))
            face(22 + k, 6 + Double(k) * 7, -30 + (abs(Double(k) - 2) * 1.5))
        }
        for k in 0..<4 { face(27 + k, 0, -22 + Double(k) * 7) }
        for k in 0..<5 { face(31 + k, -8 + Double(k) * 4, 2 + (abs(Double(k) - 2) * -1)) }
        for (start, centre) in [(36, -17.0), (42, 17.0)] {
            for k in 0..<6 {
                let angle = Double.pi * (1 - Double(k) / 3)
                face(start + k, centre + 7 * cos(angle), -17 - 3 * sin(angle))
            }
        }
        for k in 0..<12 {
            let angle = Double.pi * (1 - Double(k) / 6)
            face(48 + k, 15 * cos(angle), 20 - (mouthOpen / 2 + 3) * sin(angle))
        }
        for k in 0..<8 {
            let angle = Double.pi * (1 - Double(k) / 4)
            face(60 + k, 10 * cos(angle), 20 - (mouthOpen / 2) * sin(angle))
        }
        face(68, -17, -17)
        face(69, 17, -17)
    }

    /// A hand: the wrist and five fingers of four joints each, curling and spreading over time.
    mutating func drawHand(offset: Int, wrist: (Double, Double), pointing: Double, size: Double, curlPhase: Int,
                           confidence: Double, mirrored: Bool) {
        joints[offset] = (wrist.0, wrist.1, confidence)
        let side = mirrored ? -1.0 : 1.0
        for finger in 0..<5 {
            let spread = (Double(finger) - 2) * 0.28 * side + 0.05 * wave(7)
            let curl = 0.5 + 0.5 * sin(t * motion.speeds[8 + finger % 4] * 3 + motion.phases[curlPhase] + Double(finger))
            var angle = pointing + spread + (finger == 0 ? -0.6 * side : 0)
            var position = (wrist.0 + cos(angle) * size * (finger == 0 ? 0.25 : 0.45),
                            wrist.1 + sin(angle) * size * (finger == 0 ? 0.25 : 0.45))
            let lengths = finger == 0 ? [0.0, 0.3, 0.25, 0.22] : [0.0, 0.35, 0.24, 0.2]
            for segment in 0..<4 {
                if segment > 0 {
                    angle += curl * 0.7 * side
                    position = (position.0 + cos(angle) * size * lengths[segment],
                                position.1 + sin(angle) * size * lengths[segment])
                }
                joints[offset + 1 + finger * 4 + segment] = (position.0, position.1, confidence)
            }
        }
    }
}
