/// An 8-bit RGBA colour with straight (not premultiplied) alpha.
public struct Color: Sendable, Hashable, CustomStringConvertible {
    /// Red, green, blue and alpha, 0–255.
    public var r, g, b, a: UInt8

    /// Creates a colour from 8-bit channels.
    public init(r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255) {
        self.r = r
        self.g = g
        self.b = b
        self.a = a
    }

    /// Creates a colour from `0xRRGGBB` and an alpha (0–255).
    public init(hex: UInt32, alpha: UInt8 = 255) {
        self.init(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF), a: alpha)
    }

    /// Creates a colour from hue (degrees), saturation and value in 0...1 (HSV).
    public init(hue: Double, saturation: Double, value: Double, alpha: UInt8 = 255) {
        let h = ((hue.truncatingRemainder(dividingBy: 360)) + 360).truncatingRemainder(dividingBy: 360) / 60
        let s = min(max(saturation, 0), 1), v = min(max(value, 0), 1)
        let c = v * s
        let x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        let (r1, g1, b1): (Double, Double, Double)
        switch Int(h) {
        case 0: (r1, g1, b1) = (c, x, 0)
        case 1: (r1, g1, b1) = (x, c, 0)
        case 2: (r1, g1, b1) = (0, c, x)
        case 3: (r1, g1, b1) = (0, x, c)
        case 4: (r1, g1, b1) = (x, 0, c)
        default: (r1, g1, b1) = (c, 0, x)
        }
        let m = v - c
        func byte(_ value: Double) -> UInt8 { UInt8(min(max((value + m) * 255 + 0.5, 0), 255)) }
        self.init(r: byte(r1), g: byte(g1), b: byte(b1), a: alpha)
    }

    /// The same colour with alpha multiplied by `factor` (clamped to 0...1).
    public func faded(by factor: Double) -> Color {
        let f = factor.isFinite ? min(max(factor, 0), 1) : 0
        return Color(r: r, g: g, b: b, a: UInt8(Double(a) * f + 0.5))
    }

    /// This colour mixed with `other`: `t = 0` gives self, `t = 1` gives other (alpha mixed too).
    public func mixed(with other: Color, amount t: Double) -> Color {
        let u = min(max(t, 0), 1)
        func mix(_ p: UInt8, _ q: UInt8) -> UInt8 { UInt8(Double(p) * (1 - u) + Double(q) * u + 0.5) }
        return Color(r: mix(r, other.r), g: mix(g, other.g), b: mix(b, other.b), a: mix(a, other.a))
    }

    /// Relative luminance in 0...1 (Rec. 709 weights on the 8-bit values), for choosing contrasting colours.
    public var luminance: Double { (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255 }

    /// `#rrggbbaa`.
    public var description: String {
        func hex(_ v: UInt8) -> String { (v < 16 ? "0" : "") + String(v, radix: 16) }
        return "#" + hex(r) + hex(g) + hex(b) + hex(a)
    }

    /// Opaque black.
    public static let black = Color(r: 0, g: 0, b: 0)
    /// Opaque white.
    public static let white = Color(r: 255, g: 255, b: 255)
    /// Fully transparent.
    public static let clear = Color(r: 0, g: 0, b: 0, a: 0)
    /// The default dark background of skeleton renders (as OpenPose's black, slightly lifted).
    public static let charcoal = Color(hex: 0x14171C)
}
