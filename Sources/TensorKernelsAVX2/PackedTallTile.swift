#if arch(x86_64)
/// Rows of the packed product's widest tile: 6 rows × 2 vectors = 12 accumulators of AVX2's 16
/// registers, with 2 for the panel and one for the broadcast value of X.
@inline(always)
var tallTileRows: Int { 6 }

/// A 6-row tile of a panel (`rowsTimesPacked`): rows x[0..5] against the panel at `b`.
@inline(always)
func packedTallTile(k: Int, x: UnsafePointer<Float>, ldx: Int, b: UnsafePointer<Float>,
                    y: UnsafeMutablePointer<Float>, ldy: Int, valid: Int, accumulate: Bool) {
    var c00 = Lanes(), c01 = Lanes(), c10 = Lanes(), c11 = Lanes(), c20 = Lanes(), c21 = Lanes()
    var c30 = Lanes(), c31 = Lanes(), c40 = Lanes(), c41 = Lanes(), c50 = Lanes(), c51 = Lanes()
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
        bp += panelWidth
        xp += 1
    }
    putPanelRow(c00, c01, y, valid: valid, accumulate: accumulate)
    putPanelRow(c10, c11, y + ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c20, c21, y + 2 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c30, c31, y + 3 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c40, c41, y + 4 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c50, c51, y + 5 * ldy, valid: valid, accumulate: accumulate)
}
#endif
