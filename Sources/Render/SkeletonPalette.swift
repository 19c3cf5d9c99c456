import PoseData

/// What a layout part is, for colour and line width: decided from the part's name.
public enum PartKind: Sendable, Hashable {
    case body, face, leftHand, rightHand, other

    /// The kind of a part called `name` (`body`/`pose` → body, `*face*` → face, `*left*hand*` →
    /// left hand, `*right*hand*` → right hand, any other `*hand*` → right hand).
    public init(partName name: String) {
        let lower = name.lowercased()
        if lower.contains("face") {
            self = .face
        } else if lower.contains("hand") {
            self = lower.contains("left") ? .leftHand : .rightHand
        } else if lower.contains("body") || lower.contains("pose") {
            self = .body
        } else {
            self = .other
        }
    }
}

/// Colours of a skeleton: one colour family (a hue range) per part, so each articulator reads as a
/// unit while its limbs or fingers stay distinguishable.
///
/// Default families, in the spirit of OpenPose's renders: body cyan → blue, face neutral grey,
/// right hand (the dominant hand in fingerspelling) red → yellow, left hand green → teal; fingers
/// and limbs step through their family's hues in bone order. On light backgrounds the colours are
/// darker so they keep their contrast.
public struct SkeletonPalette: Sendable, Hashable {
    /// A hue range with saturation and value, stepped through in bone order.
    public struct Family: Sendable, Hashable {
        /// Hue of the first bone, in degrees.
        public var startHue: Double
        /// Hue of the last bone, in degrees.
        public var endHue: Double
        /// HSV saturation, 0...1 (0 gives greys).
        public var saturation: Double
        /// HSV value (brightness), 0...1.
        public var value: Double

        /// Creates a family from its hue range, saturation and value.
        public init(startHue: Double, endHue: Double, saturation: Double, value: Double) {
            self.startHue = startHue
            self.endHue = endHue
            self.saturation = saturation
            self.value = value
        }

        /// The colour at position `t` in 0...1 along the family's hues.
        public func color(at t: Double) -> Color {
            Color(hue: startHue + (endHue - startHue) * min(max(t, 0), 1), saturation: saturation, value: value)
        }
    }

    /// The body's family.
    public var body: Family
    /// The face's family.
    public var face: Family
    /// The left hand's family.
    public var leftHand: Family
    /// The right hand's family.
    public var rightHand: Family
    /// Parts of unknown kind take families with hues spaced around the wheel from this one.
    public var other: Family

    /// Creates a palette from one family per part kind.
    public init(body: Family, face: Family, leftHand: Family, rightHand: Family, other: Family) {
        self.body = body
        self.face = face
        self.leftHand = leftHand
        self.rightHand = rightHand
        self.other = other
    }

    /// The palette for drawing on `background`: bright families on dark backgrounds, deeper ones on light.
    public static func standard(on background: Color) -> SkeletonPalette {
        let light = background.a > 127 && background.luminance > 0.55
        let value = light ? 0.78 : 1.0
        return SkeletonPalette(
            body: Family(startHue: 185, endHue: 235, saturation: light ? 0.9 : 0.7, value: value),
            face: Family(startHue: 0, endHue: 0, saturation: 0, value: light ? 0.35 : 0.82),
            leftHand: Family(startHue: 95, endHue: 165, saturation: light ? 0.95 : 0.75, value: light ? 0.65 : 0.95),
            rightHand: Family(startHue: 0, endHue: 50, saturation: light ? 0.95 : 0.8, value: value),
            other: Family(startHue: 280, endHue: 320, saturation: 0.7, value: value))
    }

    /// The family for a part of `kind`; `index` spreads unknown parts around the hue wheel.
    public func family(for kind: PartKind, index: Int) -> Family {
        switch kind {
        case .body: return body
        case .face: return face
        case .leftHand: return leftHand
        case .rightHand: return rightHand
        case .other:
            var family = other
            let shift = Double(index) * 67
            family.startHue += shift
            family.endHue += shift
            return family
        }
    }
}
