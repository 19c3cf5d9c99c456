/// 16 floats: one AVX-512 register (this module is compiled for x86-64-v4).
typealias Lanes = SIMD16<Float>

extension UnsafePointer where Pointee == Float {
    /// The 16 floats starting here (no alignment needed).
    @inline(always)
    func lanes() -> Lanes {
        UnsafeRawPointer(self).loadUnaligned(as: Lanes.self)
    }

    /// The first `count` (< 16) floats starting here, zeros after them; reads nothing past `count`.
    @inline(always)
    func lanes(count: Int) -> Lanes {
        var v = Lanes()
        for i in 0..<count { v[i] = self[i] }
        return v
    }
}

extension UnsafePointer where Pointee == Float {
    /// The `count` (1..<16) floats starting here in the last `count` lanes, zeros before them: one
    /// unaligned load of the 16 floats that end where these do (so nothing past them is read; the
    /// `16 − count` floats before this pointer must be readable), then a masked move. A lane-by-lane
    /// gather of a short tail costs more than the rest of a 512-long dot product.
    @inline(always)
    func lanes(endingTail count: Int) -> Lanes {
        let v = (self + count - 16).lanes()
        let lane = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        return v.replacing(with: 0, where: lane .< SIMD16<Int32>(repeating: Int32(16 - count)))
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Writes 16 floats starting here (no alignment needed).
    @inline(always)
    func store(_ v: Lanes) {
        UnsafeMutableRawPointer(self).storeBytes(of: v, as: Lanes.self)
    }

    /// Writes the first `count` (< 16) lanes of `v`; touches nothing past `count`.
    @inline(always)
    func store(_ v: Lanes, count: Int) {
        for i in 0..<count { self[i] = v[i] }
    }
}

extension SIMD16 where Scalar == Float {
    /// The sum of the 16 lanes by halving (8 + 8, 4 + 4, 2 + 2, 1 + 1): the order of
    /// `_mm512_reduce_add_ps`, shorter dependency chains and a smaller rounding error than the
    /// lane-by-lane order `sum()` allows.
    @inline(always)
    func halvingSum() -> Float {
        let s8 = lowHalf + highHalf
        let s4 = s8.lowHalf + s8.highHalf
        let s2 = s4.lowHalf + s4.highHalf
        return s2[0] + s2[1]
    }
}

// Lane-wise max/min by compare and select: the stdlib's generic `pointwiseMax`/`pointwiseMin` are
// emitted here as out-of-line (weak, shared-by-name) specialisations, which costs a call in the
// softmax loop and could let the linker hand this module's AVX-512 copy to a baseline module.

/// The larger of `a` and `b` in each lane (`b` where `a` is NaN).
@inline(always)
func lanewiseMax(_ a: Lanes, _ b: Lanes) -> Lanes {
    a.replacing(with: b, where: .!(a .>= b))
}

/// The smaller of `a` and `b` in each lane (`b` where `a` is NaN).
@inline(always)
func lanewiseMin(_ a: Lanes, _ b: Lanes) -> Lanes {
    a.replacing(with: b, where: .!(a .<= b))
}
