/// Colours by name, for command lines and the notebook.
extension Color {
    /// The names ``init(named:)`` accepts besides `#RRGGBB`.
    public static let names = ["dark", "light", "white", "black", "transparent"]

    /// `dark` (charcoal), `light` (off-white), `white`, `black`, `transparent` (or `none`), or
    /// `#RRGGBB` / `RRGGBB`; nil for anything else.
    public init?(named name: String) {
        switch name.lowercased() {
        case "dark": self = .charcoal
        case "light": self = Color(hex: 0xFAFAF7)
        case "white": self = .white
        case "black": self = .black
        case "transparent", "none": self = .clear
        default:
            let digits = name.hasPrefix("#") ? String(name.dropFirst()) : name
            guard digits.count == 6, digits.allSatisfy(\.isHexDigit), let value = UInt32(digits, radix: 16) else { return nil }
            self = Color(hex: value)
        }
    }
}
