#if arch(x86_64)
// Y = X·Wᵀ (+ Y) with W packed ahead of time (a weight at inference: packed once, used for every
// frame). The packing turns W's rows into columns: panel j holds columns j·w ..< (j+1)·w of Wᵀ,
// `k` rows of `w = panelWidth` floats (two vectors), contiguous. A tile of output rows then keeps
// its accumulators along the columns: per step of K it loads two vectors of the panel,
// broadcasts one value of X per row and does two fused multiply-adds per row, with no horizontal
// sums and one contiguous stream of W, which the hardware prefetcher follows on its own. Measured
// in a C replica on the 2-core EPYC (Zen 4) at N = 1536, K = 512, W not in cache: 75 → 97
// GFLOP/s a core at 70 rows, 58 → 102 at 24, 80 → 109 at 137 against the dot-product tiles of
// `rowTimesTransposed` (AVX-512); AVX2 with 16-wide panels: 81 → 86, 53 → 76, 87 → 94.
//
// Each output is summed over K in order, one fused multiply-add at a time, whichever tile computes
// it, so a row's result does not depend on how many rows the product has.

/// Floats per panel: two vectors.
@inline(always)
var panelWidth: Int { 2 * laneCount }

/// The panel width this module's packed kernels read (`Tensors` packs W for it).
public func packedPanelWidth() -> Int { panelWidth }

/// Panels `p0..<p1` of `y[m, n] (+)= x[m, k] · Wᵀ`, `accumulate` adding to y. `packed` holds W
/// `[n, k]` as `⌈n / panelWidth⌉` panels of `k × panelWidth` floats (panel j, step p, lane c is
/// W[j·panelWidth + c, p]; zero past n). Row-major x and y with leading dimensions `ldx`, `ldy`
/// (in floats); columns past n are not written.
///
/// Uses this module's instruction set: call only when the CPU has it (`Tensors.KernelPath`).
@inline(never)
public func rowsTimesPacked(m: Int, n: Int, panels p0: Int, to p1: Int, k: Int,
                            x: UnsafePointer<Float>, ldx: Int, packed: UnsafePointer<Float>,
                            y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
    // Blocks of rows small enough to stay in L2 while every panel passes over them (without them
    // a 5,480-row product fell from ~105 to ~82 GFLOP/s in the C replica).
    var rowStart = 0
    while rowStart < m {
        let rowEnd = min(m, rowStart + rowBlock)
        for panel in p0..<p1 {
            panelRows(rowStart, to: rowEnd, n: n, panel: panel, k: k, x: x, ldx: ldx, packed: packed, y: y, ldy: ldy,
                      accumulate: accumulate)
        }
        rowStart = rowEnd
    }
}

/// Rows of X that stay in L2 while the panels pass over them: 384 rows of K = 512 are 768 KB.
@inline(always)
var rowBlock: Int { 384 }

/// Rows `row0..<row1` of one panel.
@inline(always)
private func panelRows(_ row0: Int, to row1: Int, n: Int, panel: Int, k: Int, x: UnsafePointer<Float>, ldx: Int,
                       packed: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
    let b = packed + panel * k * panelWidth
    let column = panel * panelWidth
    let valid = min(panelWidth, n - column)
    let m = row1
    var row = row0
    while row + tallTileRows <= m {
        packedTallTile(k: k, x: x + row * ldx, ldx: ldx, b: b, y: y + row * ldy + column, ldy: ldy,
                       valid: valid, accumulate: accumulate)
        row += tallTileRows
    }
    while row + 4 <= m {
        packedTile4(k: k, x: x + row * ldx, ldx: ldx, b: b, y: y + row * ldy + column, ldy: ldy,
                    valid: valid, accumulate: accumulate)
        row += 4
    }
    while row < m {
        packedTile1(k: k, x: x + row * ldx, b: b, y: y + row * ldy + column, valid: valid, accumulate: accumulate)
        row += 1
    }
}

/// Writes (or adds) one output row of a panel, `c0` then `c1`: whole vectors when the panel is
/// full, else only its first `valid` columns.
@inline(always)
func putPanelRow(_ c0: Lanes, _ c1: Lanes, _ y: UnsafeMutablePointer<Float>, valid: Int, accumulate: Bool) {
    let w = laneCount
    if valid == 2 * w {
        if accumulate {
            y.store(UnsafePointer(y).lanes() + c0)
            (y + w).store(UnsafePointer(y + w).lanes() + c1)
        } else {
            y.store(c0)
            (y + w).store(c1)
        }
        return
    }
    for i in 0..<valid {
        let v = i < w ? c0[i] : c1[i - w]
        y[i] = accumulate ? y[i] + v : v
    }
}

/// A 4-row tile of a panel (rows left over after the tall tiles).
@inline(always)
func packedTile4(k: Int, x: UnsafePointer<Float>, ldx: Int, b: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, ldy: Int, valid: Int, accumulate: Bool) {
    var c00 = Lanes(), c01 = Lanes(), c10 = Lanes(), c11 = Lanes()
    var c20 = Lanes(), c21 = Lanes(), c30 = Lanes(), c31 = Lanes()
    let (x1, x2, x3) = (x + ldx, x + 2 * ldx, x + 3 * ldx)
    var bp = b
    for p in 0..<k {
        let b0 = bp.lanes(), b1 = (bp + laneCount).lanes()
        var s = Lanes(repeating: x[p])
        c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
        s = Lanes(repeating: x1[p])
        c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
        s = Lanes(repeating: x2[p])
        c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
        s = Lanes(repeating: x3[p])
        c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
        bp += panelWidth
    }
    putPanelRow(c00, c01, y, valid: valid, accumulate: accumulate)
    putPanelRow(c10, c11, y + ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c20, c21, y + 2 * ldy, valid: valid, accumulate: accumulate)
    putPanelRow(c30, c31, y + 3 * ldy, valid: valid, accumulate: accumulate)
}

/// A 1-row tile of a panel.
@inline(always)
func packedTile1(k: Int, x: UnsafePointer<Float>, b: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, valid: Int, accumulate: Bool) {
    var c0 = Lanes(), c1 = Lanes()
    var bp = b
    for p in 0..<k {
        let s = Lanes(repeating: x[p])
        c0 = c0.addingProduct(s, bp.lanes()); c1 = c1.addingProduct(s, (bp + laneCount).lanes())
        bp += panelWidth
    }
    putPanelRow(c0, c1, y, valid: valid, accumulate: accumulate)
}
#endif
