#if arch(x86_64)
// The vector width of this module: 8 floats, one AVX2 register (the module is compiled for
// Haswell: AVX2, FMA, BMI1/2). The kernels are the ones of `TensorKernels` (the other files here
// are symbolic links to them), written against `Lanes` and `Lanes.scalarCount` only; only this
// file and the 4 × 6 tile (`Tile4x6.swift`) differ.

/// 8 floats: one AVX2 register.
typealias Lanes = SIMD8<Float>

/// 8 integers, for bit manipulation of `Lanes` and lane masks.
typealias LaneInts = SIMD8<Int32>

/// 0, 1, …, 7: the index of each lane.
@inline(always)
var laneIndices: LaneInts { LaneInts(0, 1, 2, 3, 4, 5, 6, 7) }

extension SIMD8 where Scalar == Float {
    /// The sum of the 8 lanes by halving (4 + 4, 2 + 2, 1 + 1), the order of the AVX-512 module's
    /// sum from its second step on. The halves are taken by reinterpreting the bits, not with
    /// `lowHalf`/`highHalf` (weak specialisations shared by name with the AVX-512 module).
    @inline(always)
    func halvingSum() -> Float {
        let (low4, high4) = unsafeBitCast(self, to: (SIMD4<Float>, SIMD4<Float>).self)
        let (low2, high2) = unsafeBitCast(low4 + high4, to: (SIMD2<Float>, SIMD2<Float>).self)
        let s2 = low2 + high2
        return s2[0] + s2[1]
    }
}
#endif
