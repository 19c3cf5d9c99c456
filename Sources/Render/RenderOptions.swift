/// How skeleton frames are drawn: size, colours, which parts, line widths, caption.
public struct RenderOptions: Sendable, Hashable {
    /// Canvas width in pixels.
    public var width: Int
    /// Canvas height in pixels.
    public var height: Int
    /// Background colour (use ``Color/clear`` for a transparent PNG).
    public var background: Color
    /// Names of the layout parts to draw (for example `["body", "right_hand"]`); nil draws all.
    /// The camera fits only the parts drawn.
    public var parts: Set<String>?
    /// Joints with confidence at or below this are treated as missing: not drawn, and not fitted by
    /// the camera. The default 0.05 is OpenPose's render threshold; 0 draws every joint with confidence > 0.
    public var confidenceThreshold: Float
    /// Whether joints are drawn as dots on top of the bones.
    public var drawJoints: Bool
    /// Whether joints and bones fade with confidence: opacity = `minimumOpacity + (1 − minimumOpacity) · c`
    /// for confidence `c` in (0, 1] (a bone uses the smaller confidence of its two joints).
    public var fadeByConfidence: Bool
    /// Opacity of a joint whose confidence is just above 0, when fading.
    public var minimumOpacity: Double
    /// Multiplies every line width and dot radius (1 = the defaults, which scale with the canvas).
    public var lineScale: Double
    /// Free space around the fitted skeleton, as a fraction of the viewport's shorter side.
    public var margin: Double
    /// Whether a caption band (text, frame number, time) is drawn under the skeleton.
    public var caption: Bool
    /// The caption's text; nil uses the sequence's text, else its name.
    public var captionText: String?
    /// Colours; nil picks ``SkeletonPalette/standard(on:)`` for the background.
    public var palette: SkeletonPalette?

    /// Creates options; every argument has a default suited to looking at samples.
    public init(width: Int = 512, height: Int = 512, background: Color = .charcoal, parts: Set<String>? = nil,
                confidenceThreshold: Float = 0.05, drawJoints: Bool = true, fadeByConfidence: Bool = true, minimumOpacity: Double = 0.2,
                lineScale: Double = 1, margin: Double = 0.06, caption: Bool = true, captionText: String? = nil,
                palette: SkeletonPalette? = nil) {
        self.width = width
        self.height = height
        self.background = background
        self.parts = parts
        self.confidenceThreshold = confidenceThreshold.isFinite ? Swift.max(confidenceThreshold, 0) : 0
        self.drawJoints = drawJoints
        self.fadeByConfidence = fadeByConfidence
        self.minimumOpacity = minimumOpacity
        self.lineScale = lineScale
        self.margin = margin
        self.caption = caption
        self.captionText = captionText
        self.palette = palette
    }

    /// The integer scale of caption text for this canvas: 1 below 512 px on the shorter side, then +1 per 256 px.
    public var textScale: Int { Swift.max(1, Swift.min(width, height) / 256) }

    /// Colour for text on the background: light grey on dark, dark grey on light.
    public var textColor: Color {
        background.a > 127 && background.luminance > 0.55 ? Color(hex: 0x30343A) : Color(hex: 0xD8DCE2)
    }
}
