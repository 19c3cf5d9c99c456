#if arch(x86_64)
// Loads, stores and lane-wise helpers on `Lanes`, whatever its width (this file is compiled into
// both kernel modules: `TensorKernels` at 16 lanes, `TensorKernelsAVX2` at 8).

/// The number of floats in one `Lanes`.
@inline(always)
var laneCount: Int { Lanes.scalarCount }

extension UnsafePointer where Pointee == Float {
    /// The `laneCount` floats starting here (no alignment needed).
    @inline(always)
    func lanes() -> Lanes {
        UnsafeRawPointer(self).loadUnaligned(as: Lanes.self)
    }

    /// The first `count` (< `laneCount`) floats starting here, zeros after them; reads nothing past `count`.
    @inline(always)
    func lanes(count: Int) -> Lanes {
        var v = Lanes()
        for i in 0..<count { v[i] = self[i] }
        return v
    }

    /// The `count` (1..<`laneCount`) floats starting here in the last `count` lanes, zeros before
    /// them: one unaligned load of the `laneCount` floats that end where these do (so nothing past
    /// them is read; the `laneCount − count` floats before this pointer must be readable), then a
    /// masked move. A lane-by-lane gather of a short tail costs more than the rest of a 512-long
    /// dot product.
    @inline(always)
    func lanes(endingTail count: Int) -> Lanes {
        let v = (self + count - laneCount).lanes()
        return v.replacing(with: 0, where: laneIndices .< LaneInts(repeating: Int32(laneCount - count)))
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Writes `laneCount` floats starting here (no alignment needed).
    @inline(always)
    func store(_ v: Lanes) {
        UnsafeMutableRawPointer(self).storeBytes(of: v, as: Lanes.self)
    }

    /// Writes the first `count` (< `laneCount`) lanes of `v`; touches nothing past `count`.
    @inline(always)
    func store(_ v: Lanes, count: Int) {
        for i in 0..<count { self[i] = v[i] }
    }
}

// Lane-wise max/min by compare and select: the stdlib's generic `pointwiseMax`/`pointwiseMin` are
// emitted here as out-of-line (weak, shared-by-name) specialisations, which costs a call in the
// softmax loop and could let the linker hand this module's AVX copy to a baseline module.

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
#endif
