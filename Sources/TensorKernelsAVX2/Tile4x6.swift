#if arch(x86_64)
/// A 4 × 6 tile of `rowTimesTransposed` as two 4 × 3 tiles: 24 accumulators would not fit AVX2's
/// 16 registers (spilled accumulators halve the speed), 12 do, with 3 for the rows of W and one
/// for the row of X. The 6 rows of W stay in L1 between the two halves. Each half asks for three of the
/// six rows from `ahead` (a later group's, `ldw` apart) as it goes.
@inline(always)
func tile4x6(k: Int, x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
             y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool, ahead: UnsafePointer<Float>?) {
    // Not `ahead.map`: a generic specialisation would be emitted weak (KernelSymbolTests).
    var secondHalf: UnsafePointer<Float>? = nil
    if let ahead { secondHalf = ahead + 3 * ldw }
    tile4x3(k: k, x: x, ldx: ldx, w: w, ldw: ldw, y: y, ldy: ldy, accumulate: accumulate, ahead: ahead)
    tile4x3(k: k, x: x, ldx: ldx, w: w + 3 * ldw, ldw: ldw, y: y + 3, ldy: ldy, accumulate: accumulate, ahead: secondHalf)
}

/// A 4 × 3 tile: rows x[0..3], columns w[0..2], over the whole K.
@inline(always)
private func tile4x3(k: Int, x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
                     y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool, ahead: UnsafePointer<Float>?) {
    var a00 = Lanes(), a01 = Lanes(), a02 = Lanes()
    var a10 = Lanes(), a11 = Lanes(), a12 = Lanes()
    var a20 = Lanes(), a21 = Lanes(), a22 = Lanes()
    var a30 = Lanes(), a31 = Lanes(), a32 = Lanes()
    let (x1, x2, x3) = (x + ldx, x + 2 * ldx, x + 3 * ldx)
    let (w1, w2) = (w + ldw, w + 2 * ldw)
    @inline(always)
    func step(_ load: (UnsafePointer<Float>) -> Lanes) {
        let (v0, v1, v2) = (load(w), load(w1), load(w2))
        var xv = load(x)
        a00 = a00.addingProduct(xv, v0); a01 = a01.addingProduct(xv, v1); a02 = a02.addingProduct(xv, v2)
        xv = load(x1)
        a10 = a10.addingProduct(xv, v0); a11 = a11.addingProduct(xv, v1); a12 = a12.addingProduct(xv, v2)
        xv = load(x2)
        a20 = a20.addingProduct(xv, v0); a21 = a21.addingProduct(xv, v1); a22 = a22.addingProduct(xv, v2)
        xv = load(x3)
        a30 = a30.addingProduct(xv, v0); a31 = a31.addingProduct(xv, v1); a32 = a32.addingProduct(xv, v2)
    }
    sweep(k: k, ahead: ahead, aheadStride: ldw, aheadCount: 3, step)
    let (y1, y2, y3) = (y + ldy, y + 2 * ldy, y + 3 * ldy)
    putSum(a00, y, accumulate); putSum(a01, y + 1, accumulate); putSum(a02, y + 2, accumulate)
    putSum(a10, y1, accumulate); putSum(a11, y1 + 1, accumulate); putSum(a12, y1 + 2, accumulate)
    putSum(a20, y2, accumulate); putSum(a21, y2 + 1, accumulate); putSum(a22, y2 + 2, accumulate)
    putSum(a30, y3, accumulate); putSum(a31, y3 + 1, accumulate); putSum(a32, y3 + 2, accumulate)
}
#endif
