#if arch(x86_64)
/// Rows of the packed product's widest tile: 12 rows × 2 vectors = 24 accumulators of AVX-512's 32
/// registers, with 2 for the panel and one for the broadcast value of X.
@inline(always)
var tallTileRows: Int { 12 }

/// A 12-row tile of a panel (`rowsTimesPacked`): rows x[0..11] against the panel at `b`.
@inline(always)
func packedTallTile(k: Int, x: UnsafePointer<Float>, ldx: Int, b: UnsafePointer<Float>,
                    y: UnsafeMutablePointer<Float>, ldy: Int, valid: Int, accumulate: Bool) {
    var c00 = Lanes(), c01 = Lanes(), c10 = Lanes(), c11 = Lanes(), c20 = Lanes(), c21 = Lanes()
    var c30 = Lanes(), c31 = Lanes(), c40 = Lanes(), c41 = Lanes(), c50 = Lanes(), c51 = Lanes()
    var c60 = Lanes(), c61 = Lanes(), c70 = Lanes(), c71 = Lanes(), c80 = Lanes(), c81 = Lanes()
    var c90 = Lanes(), c91 = Lanes(), ca0 = Lanes(), ca1 = Lanes(), cb0 = Lanes(), cb1 = Lanes()
    var bp = b
    var xp = x
    for _ in 0..<k {
        let b0 = bp.lanes(), b1 = (bp + laneCount).lanes()
        var s = Lanes(repeating: xp[0])
        c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
        s = Lanes(repeating: xp[ldx])
        c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
        s = Lanes(repeating: xp[2 * ldx])
        c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
        s = Lanes(repeating: xp[3 * ldx])
        c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
        s = Lanes(repeating: xp[4 * ldx])
        c40 = c40.addingProduct(s, b0); c41 = c41.addingProduct(s, b1)
        s = Lanes(repeating: xp[5 * ldx])
        c50 = c50.addingProduct(s, b0); c51 = c51.addingProduct(s, b1)
        s = Lanes(repeating: xp[6 * ldx])
        c60 = c60.addingProduct(s, b0); c61 = c61.addingProduct(s, b1)
        s = Lanes(repeating: xp[7 * ldx])
        c70 = c70.addingProduct(s, b0); c71 = c71.addingProduct(s, b1)
        s = Lanes(repeating: xp[8 * ldx])
        c80 = c80.addingProduct(s, b0); c81 = c81.addingProduct(s, b1)
        s = Lanes(repeating: xp[9 * ldx])
        c90 = c90.addingProduct(s, b0); c91 = c91.addingProduct(s, b1)
        s = Lanes(repeating: xp[10 * ldx])
        ca0 = ca0.addingProduct(s, b0); ca1 = ca1.addingProduct(s, b1)
        s = Lanes(repeating: xp[11 * ldx])
        cb0 = cb0.addingProduct(s, b0); cb1 = cb1.addingProduct(s, b1)
        bp += panelWidth
        xp += 1
    }
    putPanelRow(c00, c01, y, valid: valid, accumulate: accumulate)
    putPanelRow(c10, c11, y + ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c20, c21, y + 2 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c30, c31, y + 3 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c40, c41, y + 4 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c50, c51, y + 5 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c60, c61, y + 6 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c70, c71, y + 7 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c80, c81, y + 8 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c90, c91, y + 9 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(ca0, ca1, y + 10 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(cb0, cb1, y + 11 * ldy, valid: valid, accumulate: accumulate)
}
#endif
