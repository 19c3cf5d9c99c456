#if arch(x86_64)
/// A 4 × 6 tile of `rowTimesTransposed`: rows x[0..3], columns w[0..5], over the whole K, with
/// all 24 accumulators in AVX-512 registers (there are 32). Asks for the 6 rows from `ahead`
/// (`ldw` apart) as it goes.
@inline(always)
func tile4x6(k: Int, x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
             y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool, ahead: UnsafePointer<Float>?) {
    var a00 = Lanes(), a01 = Lanes(), a02 = Lanes(), a03 = Lanes(), a04 = Lanes(), a05 = Lanes()
    var a10 = Lanes(), a11 = Lanes(), a12 = Lanes(), a13 = Lanes(), a14 = Lanes(), a15 = Lanes()
    var a20 = Lanes(), a21 = Lanes(), a22 = Lanes(), a23 = Lanes(), a24 = Lanes(), a25 = Lanes()
    var a30 = Lanes(), a31 = Lanes(), a32 = Lanes(), a33 = Lanes(), a34 = Lanes(), a35 = Lanes()
    let (x1, x2, x3) = (x + ldx, x + 2 * ldx, x + 3 * ldx)
    let (w1, w2, w3, w4, w5) = (w + ldw, w + 2 * ldw, w + 3 * ldw, w + 4 * ldw, w + 5 * ldw)
    @inline(always)
    func step(_ load: (UnsafePointer<Float>) -> Lanes) {
        let (v0, v1, v2, v3, v4, v5) = (load(w), load(w1), load(w2), load(w3), load(w4), load(w5))
        var xv = load(x)
        a00 = a00.addingProduct(xv, v0); a01 = a01.addingProduct(xv, v1); a02 = a02.addingProduct(xv, v2)
        a03 = a03.addingProduct(xv, v3); a04 = a04.addingProduct(xv, v4); a05 = a05.addingProduct(xv, v5)
        xv = load(x1)
        a10 = a10.addingProduct(xv, v0); a11 = a11.addingProduct(xv, v1); a12 = a12.addingProduct(xv, v2)
        a13 = a13.addingProduct(xv, v3); a14 = a14.addingProduct(xv, v4); a15 = a15.addingProduct(xv, v5)
        xv = load(x2)
        a20 = a20.addingProduct(xv, v0); a21 = a21.addingProduct(xv, v1); a22 = a22.addingProduct(xv, v2)
        a23 = a23.addingProduct(xv, v3); a24 = a24.addingProduct(xv, v4); a25 = a25.addingProduct(xv, v5)
        xv = load(x3)
        a30 = a30.addingProduct(xv, v0); a31 = a31.addingProduct(xv, v1); a32 = a32.addingProduct(xv, v2)
        a33 = a33.addingProduct(xv, v3); a34 = a34.addingProduct(xv, v4); a35 = a35.addingProduct(xv, v5)
    }
    sweep(k: k, ahead: ahead, aheadStride: ldw, aheadCount: 6, step)
    let (y1, y2, y3) = (y + ldy, y + 2 * ldy, y + 3 * ldy)
    putSum(a00, y, accumulate); putSum(a01, y + 1, accumulate); putSum(a02, y + 2, accumulate)
    putSum(a03, y + 3, accumulate); putSum(a04, y + 4, accumulate); putSum(a05, y + 5, accumulate)
    putSum(a10, y1, accumulate); putSum(a11, y1 + 1, accumulate); putSum(a12, y1 + 2, accumulate)
    putSum(a13, y1 + 3, accumulate); putSum(a14, y1 + 4, accumulate); putSum(a15, y1 + 5, accumulate)
    putSum(a20, y2, accumulate); putSum(a21, y2 + 1, accumulate); putSum(a22, y2 + 2, accumulate)
    putSum(a23, y2 + 3, accumulate); putSum(a24, y2 + 4, accumulate); putSum(a25, y2 + 5, accumulate)
    putSum(a30, y3, accumulate); putSum(a31, y3 + 1, accumulate); putSum(a32, y3 + 2, accumulate)
    putSum(a33, y3 + 3, accumulate); putSum(a34, y3 + 4, accumulate); putSum(a35, y3 + 5, accumulate)
}
#endif
