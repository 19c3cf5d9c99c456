import Platform

/// One pose sequence: T frames of J joints, each joint (x, y, confidence), with its metadata.
///
/// Values are stored frame-major in one flat array: the joint `j` of frame `t` has
/// `x = values[(t * J + j) * 3]`, `y = ... + 1`, `confidence = ... + 2`. A joint with confidence 0
/// is missing; its x and y carry no meaning.
public struct PoseSequence: Sendable, Equatable {
    /// The skeleton the values follow.
    public var layout: Layout
    /// Frames per second.
    public var fps: Double
    /// Flat (T, J, 3) values: x, y, confidence per joint per frame.
    public var values: [Float]
    /// A sample id, when the data has one.
    public var name: String?
    /// The spoken-language text the sequence signs.
    public var text: String?
    /// The gloss sequence, space separated.
    public var gloss: String?
    /// The signer or sign language code.
    public var signer: String?
    /// Precomputed text features (for example the authors' t5-base `sentence` arrays).
    public var textFeatures: TextFeatures?

    /// Creates a sequence, checking that `values` holds whole frames of `layout.jointCount` joints.
    public init(layout: Layout, fps: Double, values: [Float], name: String? = nil, text: String? = nil,
                gloss: String? = nil, signer: String? = nil, textFeatures: TextFeatures? = nil) throws(PoseDataError) {
        let frameSize = layout.jointCount * 3
        guard frameSize > 0, values.count % frameSize == 0 else {
            throw PoseDataError.invalidSequence(
                "sequence\(name.map { " \(QuotedText.quoted($0))" } ?? "") has \(values.count) values, not a whole number of frames of \(layout.jointCount) joints × 3")
        }
        guard PoseLimits.isValidFPS(fps) else {
            throw PoseDataError.invalidSequence("sequence\(name.map { " \(QuotedText.quoted($0))" } ?? ""): \(PoseLimits.fpsProblem(fps))")
        }
        self.init(checkedLayout: layout, fps: fps, values: values, name: name, text: text, gloss: gloss,
                  signer: signer, textFeatures: textFeatures)
    }

    /// A sequence whose values and rate the caller has already checked against `layout` (a
    /// shard's checks do this for a whole shard at once).
    init(checkedLayout layout: Layout, fps: Double, values: [Float], name: String?, text: String?,
         gloss: String?, signer: String?, textFeatures: TextFeatures?) {
        self.layout = layout
        self.fps = fps
        self.values = values
        self.name = name
        self.text = text
        self.gloss = gloss
        self.signer = signer
        self.textFeatures = textFeatures
    }

    /// The number of frames, T.
    public var frameCount: Int { values.count / (layout.jointCount * 3) }
    /// The number of joints per frame, J.
    public var jointCount: Int { layout.jointCount }
    /// The duration in seconds.
    public var duration: Double { Double(frameCount) / fps }

    /// The flat index of joint `joint` in frame `frame` (its x; y and confidence follow).
    @inlinable
    public func offset(frame: Int, joint: Int) -> Int { (frame * layout.jointCount + joint) * 3 }

    /// The (x, y, confidence) of one joint in one frame.
    public func point(frame: Int, joint: Int) -> (x: Float, y: Float, confidence: Float) {
        let i = offset(frame: frame, joint: joint)
        return (values[i], values[i + 1], values[i + 2])
    }

    /// The first non-finite value, as (frame, joint, channel), or nil when every value is finite.
    public func firstNonFinite() -> (frame: Int, joint: Int, channel: Int)? {
        guard let i = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        let j = layout.jointCount
        return (i / (j * 3), (i / 3) % j, i % 3)
    }
}

/// A matrix of precomputed text features, L rows of `width` values (for example L × 768).
public struct TextFeatures: Sendable, Equatable {
    /// Number of feature rows (tokens), L.
    public var rows: Int
    /// Values per row.
    public var width: Int
    /// Row-major values, `rows * width` of them.
    public var values: [Float]

    /// Creates a feature matrix; `values.count` must be `rows * width`.
    public init(rows: Int, width: Int, values: [Float]) throws(PoseDataError) {
        guard (0...PoseLimits.maximumFeatureRows).contains(rows), (1...PoseLimits.maximumFeatureWidth).contains(width) else {
            throw PoseDataError.invalidSequence(
                "text features of \(rows) × \(width): rows must be 0...\(PoseLimits.maximumFeatureRows) and the width 1...\(PoseLimits.maximumFeatureWidth)")
        }
        guard values.count == rows * width else {
            throw PoseDataError.invalidSequence("text features: \(values.count) values do not fill \(rows) × \(width)")
        }
        self.rows = rows
        self.width = width
        self.values = values
    }
}
