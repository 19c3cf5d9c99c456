// Row softmax on 16 lanes at a time, with the same exponential as the portable `Tensors.Fast.exp`.

/// `y = softmax(x)` over `n` values (`y` may be `x`). Returns false, and writes nothing, when
/// every x is −∞ (the caller decides what such a row means).
///
/// Uses AVX-512: call only when the CPU has it (`Tensors.CPUFeatures.hasAVX512`).
@inline(never)
public func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) -> Bool {
    let full = n & ~15, left = n - full
    var mv = Lanes(repeating: -.infinity)
    var i = 0
    while i < full {
        mv = lanewiseMax(mv, (x + i).lanes())
        i += 16
    }
    var largest = mv.max()
    for t in full..<n { largest = max(largest, x[t]) }
    if largest == -.infinity { return false }
    let mb = Lanes(repeating: largest)
    var sv = Lanes()
    i = 0
    while i < full {
        let e = exp16((x + i).lanes() - mb)
        (y + i).store(e)
        sv += e
        i += 16
    }
    if left > 0 {
        // Lanes past n are zero after the exponential, so they add nothing to the sum.
        var e = exp16((x + full).lanes(count: left) - mb)
        for t in left..<16 { e[t] = 0 }
        (y + full).store(e, count: left)
        sv += e
    }
    let inv = Lanes(repeating: 1 / sv.halvingSum())
    i = 0
    while i < full {
        (y + i).store(UnsafePointer(y + i).lanes() * inv)
        i += 16
    }
    if left > 0 { (y + full).store(UnsafePointer(y + full).lanes(count: left) * inv, count: left) }
    return true
}

/// eˣ on 16 lanes: x = k·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in two for accuracy), eʳ by a
/// degree-6 polynomial, 2ᵏ built in the exponent bits. Exactly 0 below −87.3, clamped at 88.
@inline(always)
private func exp16(_ x: Lanes) -> Lanes {
    let c = lanewiseMin(lanewiseMax(x, Lanes(repeating: -87.3)), Lanes(repeating: 88))
    // Adding 1.5·2²³ rounds to an integer (round to nearest) in the float's low mantissa bits.
    let shifter = Lanes(repeating: 12582912)
    let shifted = shifter.addingProduct(c, Lanes(repeating: 1.442695041))
    let k = shifted - shifter
    var r = c.addingProduct(-k, Lanes(repeating: 0.693145752))
    r = r.addingProduct(-k, Lanes(repeating: 1.42860677e-6))
    var p = Lanes(repeating: 1.0 / 720)
    p = Lanes(repeating: 1.0 / 120).addingProduct(p, r)
    p = Lanes(repeating: 1.0 / 24).addingProduct(p, r)
    p = Lanes(repeating: 1.0 / 6).addingProduct(p, r)
    p = Lanes(repeating: 0.5).addingProduct(p, r)
    p = Lanes(repeating: 1).addingProduct(p, r)
    p = Lanes(repeating: 1).addingProduct(p, r)
    // k sits in the low mantissa bits of `shifted` (|k| ≤ 127): move it, biased, into the exponent.
    let kBits = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(shifter, to: SIMD16<Int32>.self)
    let exponent = (kBits &+ 127) &<< 23
    let e = p * unsafeBitCast(exponent, to: Lanes.self)
    return e.replacing(with: 0, where: x .< Lanes(repeating: -87.3))
}
