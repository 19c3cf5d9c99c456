#if arch(x86_64)
// Row softmax on `laneCount` lanes at a time, with the same exponential as the portable `Tensors.Fast.exp`.

/// `y = softmax(x)` over `n` values (`y` may be `x`). Returns false, and writes nothing, when
/// every x is −∞ (the caller decides what such a row means).
///
/// Uses this module's instruction set: call only when the CPU has it (`Tensors.KernelPath`).
@inline(never)
public func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) -> Bool {
    let full = n - n % laneCount, left = n - full
    var mv = Lanes(repeating: -.infinity)
    var i = 0
    while i < full {
        mv = lanewiseMax(mv, (x + i).lanes())
        i += laneCount
    }
    var largest = mv.max()
    for t in full..<n { largest = max(largest, x[t]) }
    if largest == -.infinity { return false }
    let mb = Lanes(repeating: largest)
    var sv = Lanes()
    i = 0
    while i < full {
        let e = expLanes((x + i).lanes() - mb)
        (y + i).store(e)
        sv += e
        i += laneCount
    }
    if left > 0 {
        // Lanes past n are zero after the exponential, so they add nothing to the sum.
        var e = expLanes((x + full).lanes(count: left) - mb)
        for t in left..<laneCount { e[t] = 0 }
        (y + full).store(e, count: left)
        sv += e
    }
    let inv = Lanes(repeating: 1 / sv.halvingSum())
    i = 0
    while i < full {
        (y + i).store(UnsafePointer(y + i).lanes() * inv)
        i += laneCount
    }
    if left > 0 { (y + full).store(UnsafePointer(y + full).lanes(count: left) * inv, count: left) }
    return true
}

/// eˣ in each lane: x = k·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in two for accuracy), eʳ by a
/// degree-6 polynomial, 2ᵏ built in the exponent bits. Exactly 0 below −87.3, clamped at 88.
@inline(always)
private func expLanes(_ x: Lanes) -> Lanes {
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
    let kBits = unsafeBitCast(shifted, to: LaneInts.self) &- unsafeBitCast(shifter, to: LaneInts.self)
    let exponent = (kBits &+ 127) &<< 23
    let e = p * unsafeBitCast(exponent, to: Lanes.self)
    return e.replacing(with: 0, where: x .< Lanes(repeating: -87.3))
}
#endif
