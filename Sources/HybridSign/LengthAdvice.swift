/// Warnings about a sample's length that the notebook and `hybridsign sample` print: the sampler
/// follows the request, and these say when the request reaches past what the model learned.
///
/// Why long texts come out short: `frames: auto` stops when the progress head says the sequence
/// is done, and that head learned progress from the training sequences (the bundled model's
/// longest: 9 letters, 135 frames). For a longer text it still reaches 1 near the end of the
/// longest sequences it saw, so "BaumBaumBaum" and "BaumBaumBaumBaum" both stop after about 116
/// frames. The length model (frames ≈ a + b·units, a straight line fitted to the same data)
/// keeps growing with the text, so a sample far shorter than its estimate was cut.
public enum LengthAdvice {
    /// A sample of `frames: auto` shorter than this fraction of the length model's estimate is
    /// reported as cut. Measured on the bundled model (seed 0, one flow step): the 80 words of the
    /// dev and test splits end at 0.85–1.40 of their estimate; 12 and 16 letters ("BaumBaumBaum",
    /// "BaumBaumBaumBaum") at 0.66 and 0.49.
    public static let cutFraction = 0.7

    /// The warning for `frames: N` past the model's `maxFrames` (its longest training crop, so the
    /// frame positions past it were never trained and the motion drifts), nil within it.
    public static func fixedFrames(_ frames: Int, config: ModelConfig) -> String? {
        guard frames > config.maxFrames else { return nil }
        return "frames: \(frames) is past this model's maximum of \(config.maxFrames) frames (its longest training crop): "
            + "frames after \(config.maxFrames) are at positions it never learned and drift"
    }

    /// The warning for a `frames: auto` sample that the model's progress head did not end (the
    /// sampler cut it at its automatic limit), given the last frame `sampler` made; nil when the
    /// head ended it, when no frame was made, or for a `diffusion` model (which has no progress
    /// head and makes the length model's estimate). A sample stopped by Ctrl-C is not asked about:
    /// its last frame was not the limit's.
    public static func progressNeverEnded(last: GeneratedFrame?, frameCount: Int, sampler: Sampler) -> String? {
        guard sampler.model.config.mode != .diffusion, let last, !Sampler.endedByProgress(last) else { return nil }
        return "the model's progress head did not end the sequence; it stops at \(frameCount) frames, the automatic limit "
            + "(twice the length model's estimate, at most \(sampler.automaticCeiling)); give frames: N (--frames N) for another length"
    }

    /// The warning for a `frames: auto` sample of `framesMade` frames for `text` that is much
    /// shorter than the length model's estimate, or that the model's `maxFrames` cut; nil when it
    /// is not.
    public static func automatic(framesMade: Int, text: String, model: HybridSignModel) -> String? {
        let units = model.config.text == .words ? text.split(whereSeparator: \.isWhitespace).count : text.count
        let unitName = model.config.text == .words ? "words" : "characters"
        let estimate = model.lengthModel.frames(units: units, maximum: Int.max)
        if estimate > model.config.maxFrames, framesMade >= model.config.maxFrames {
            return "the text (\(units) \(unitName)) needs about \(estimate) frames, but this model makes at most "
                + "\(model.config.maxFrames) (its maxFrames): the sample is cut; sample the text in parts"
        }
        guard Double(framesMade) < cutFraction * Double(estimate) else { return nil }
        return "the sample stopped after \(framesMade) frames, but the length model expects about \(estimate) for "
            + "\(units) \(unitName): texts longer than the training texts are cut where the longest of those ended "
            + "(Docs/model.md, Length limits); sample the text in parts, or give frames: \(min(estimate, model.config.maxFrames))"
    }
}
