extension Float {
    /// The IEEE 754 binary16 value with bit pattern `bits`, widened exactly: zeros, subnormals
    /// (mantissa · 2⁻²⁴), infinities and NaN (payload kept) included. Written out because `Float16`
    /// is not available on every platform Swift supports.
    public init(binary16BitPattern bits: UInt16) {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            self = sign == 0 ? magnitude : -magnitude
        case 0x1F:
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            self = Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }
}
