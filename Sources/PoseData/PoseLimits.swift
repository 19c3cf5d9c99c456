import Platform

/// The ceilings on what a pose file may declare, checked before anything is allocated from a
/// claim (Docs/data-formats.md lists them). Each is far above real data and far below what would
/// exhaust memory, so a hostile count ends in a clear error instead of a crash.
public enum PoseLimits {
    /// The most joints in one frame. Real skeletons have 17–576 (OpenPose 137, MediaPipe
    /// Holistic 543); a generic layout names each joint, so this also bounds a layout's size.
    public static let maximumJoints = 16_384
    /// The most frames in one sample (about 9 hours at 30 fps).
    public static let maximumFramesPerSample = 1_000_000
    /// The most values (frames × joints × 3) in one sample: 1 GiB of Float.
    public static let maximumValuesPerSample = 1 << 28
    /// The most rows and the widest row of one sample's text features (t5-base: L × 768).
    public static let maximumFeatureRows = 1 << 16
    public static let maximumFeatureWidth = 1 << 16
    /// The most samples in one dataset file.
    public static let maximumSamples = 1 << 24
    /// The slowest and fastest frame rates accepted, in frames per second. Zero, negative,
    /// denormal and non-finite rates are refused: a rate outside this range is a corrupt field,
    /// and resampling from or to it would make absurd frame counts.
    public static let fpsRange: ClosedRange<Double> = 0.001...100_000

    /// Whether `fps` is a frame rate a sequence may have (finite and within ``fpsRange``).
    public static func isValidFPS(_ fps: Double) -> Bool {
        fps.isFinite && fpsRange.contains(fps)
    }

    /// Why `fps` is refused, for messages: "fps 1e-300 is outside 0.001...100000".
    public static func fpsProblem(_ fps: Double) -> String {
        "fps \(NumberText.format(fps)) is outside \(fpsRange.lowerBound)...\(Int(fpsRange.upperBound)); a frame rate must be a positive number in that range"
    }

    /// Checks a declared frames × joints shape against the ceilings in floating point (so no
    /// product can overflow); nil when it is allowed, else what is wrong.
    public static func shapeProblem(frames: Double, joints: Double) -> String? {
        if !(joints >= 1 && joints <= Double(maximumJoints)) {
            return "\(NumberText.format(joints)) joints per frame is outside 1...\(maximumJoints)"
        }
        if !(frames >= 0 && frames <= Double(maximumFramesPerSample)) {
            return "\(NumberText.format(frames)) frames is outside 0...\(maximumFramesPerSample) per sample"
        }
        if frames * joints * 3 > Double(maximumValuesPerSample) {
            return "\(NumberText.format(frames)) frames × \(NumberText.format(joints)) joints × 3 values is over the ceiling of \(maximumValuesPerSample) values per sample"
        }
        return nil
    }
}
