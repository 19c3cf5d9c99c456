import Platform

extension PoseSequence {
    /// The first value a reader refuses, as (frame, joint, channel): a value that is not finite,
    /// or a negative confidence (0 means missing; a negative one is a corrupt field that would
    /// pass for "present" nowhere and "missing" everywhere). Nil when every value is acceptable.
    public func firstInvalidValue() -> (frame: Int, joint: Int, channel: Int)? {
        let index = values.withUnsafeBufferPointer { buffer -> Int? in
            for i in buffer.indices where !buffer[i].isFinite || (i % 3 == 2 && buffer[i] < 0) { return i }
            return nil
        }
        guard let index else { return nil }
        let j = layout.jointCount
        return (index / (j * 3), (index / 3) % j, index % 3)
    }

    /// What is wrong with the value at (`frame`, `joint`, `channel`), for a message:
    /// "frame 3, joint 7 ('nose'): confidence is -0.5; confidences must be 0 (missing) or positive".
    public func invalidValueProblem(frame: Int, joint: Int, channel: Int) -> String {
        let value = values[offset(frame: frame, joint: joint) + channel]
        let channelName = ["x", "y", "confidence"][channel]
        let rule = value.isFinite ? "confidences must be 0 (missing) or positive" : "keypoints must be finite numbers"
        return "frame \(frame), joint \(joint) (\(QuotedText.quoted(layout.joints[joint]))): \(channelName) is \(value); \(rule)"
    }
}
