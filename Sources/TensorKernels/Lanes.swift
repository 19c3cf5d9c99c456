#if arch(x86_64)
// The vector width of this module: 16 floats, one AVX-512 register (the module is compiled for
// x86-64-v4). The kernels themselves (the other files, shared with `TensorKernelsAVX2` through
// symbolic links) are written against `Lanes` and `Lanes.scalarCount` only.

/// 16 floats: one AVX-512 register.
typealias Lanes = SIMD16<Float>

/// 16 integers, for bit manipulation of `Lanes` and lane masks.
typealias LaneInts = SIMD16<Int32>

/// 0, 1, …, 15: the index of each lane.
@inline(always)
var laneIndices: LaneInts { LaneInts(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) }

extension SIMD16 where Scalar == Float {
    /// The sum of the 16 lanes by halving (8 + 8, 4 + 4, 2 + 2, 1 + 1): the order of
    /// `_mm512_reduce_add_ps`, shorter dependency chains and a smaller rounding error than the
    /// lane-by-lane order `sum()` allows. The halves are taken by reinterpreting the bits, not with
    /// `lowHalf`/`highHalf`: those are emitted as weak specialisations, shared by name with the AVX2
    /// module (`KernelSymbolTests` catches that).
    @inline(always)
    func halvingSum() -> Float {
        let (low8, high8) = unsafeBitCast(self, to: (SIMD8<Float>, SIMD8<Float>).self)
        let (low4, high4) = unsafeBitCast(low8 + high8, to: (SIMD4<Float>, SIMD4<Float>).self)
        let (low2, high2) = unsafeBitCast(low4 + high4, to: (SIMD2<Float>, SIMD2<Float>).self)
        let s2 = low2 + high2
        return s2[0] + s2[1]
    }
}
#endif
