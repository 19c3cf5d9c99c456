#if arch(x86_64)
// Y = X·Wᵀ (+ Y) for few rows (M ≲ 160): the shape of a linear layer at inference, where OpenBLAS
// spends as long packing W (on every call) as multiplying. Each output is a dot product of a row
// of X and a row of W, so neither operand is packed: a 4 × 6 tile (`tile4x6`, one per module: 24
// accumulators fit AVX-512's 32 registers, not AVX2's 16) reads 6 rows of W (12 KB at K = 512,
// L1-resident) against all of X (L2-resident) before moving to the next 6 rows of W, so W streams
// from memory exactly once.
//
// Tiles are written out (no arrays of accumulators): an array would live in memory, and
// accumulators spilled to the stack halve the speed. `addingProduct` lowers to `vfmadd…ps`
// (Swift never contracts `a * b + c` by itself).

/// Columns `n0..<n1` of `y[m, ·] = x[m, k] · w[·, k]ᵀ`, or `y += x·wᵀ` when `accumulate` is true.
/// Row-major with leading dimensions `ldx`, `ldw`, `ldy` (in floats).
///
/// Uses this module's instruction set: call only when the CPU has it (`Tensors.KernelPath`).
@inline(never)
public func rowTimesTransposed(m: Int, columns n0: Int, to n1: Int, k: Int,
                               x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
                               y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
    var nb = n0
    while nb + 6 <= n1 {
        let wc = w + nb * ldw
        // The first row tile over these 6 rows of W asks for later ones (RowsAhead.swift).
        let ahead = rowsAhead(of: nb, groupSize: 6, end: n1, w: w, ldw: ldw)
        var mb = 0
        while mb + 4 <= m {
            tile4x6(k: k, x: x + mb * ldx, ldx: ldx, w: wc, ldw: ldw, y: y + mb * ldy + nb, ldy: ldy, accumulate: accumulate,
                    ahead: mb == 0 ? ahead : nil)
            mb += 4
        }
        while mb < m {
            tile1x6(k: k, x: x + mb * ldx, w: wc, ldw: ldw, y: y + mb * ldy + nb, accumulate: accumulate,
                    ahead: mb == 0 ? ahead : nil)
            mb += 1
        }
        nb += 6
    }
    while nb < n1 {
        let wc = w + nb * ldw
        var mb = 0
        while mb + 4 <= m {
            tile4x1(k: k, x: x + mb * ldx, ldx: ldx, w: wc, y: y + mb * ldy + nb, ldy: ldy, accumulate: accumulate)
            mb += 4
        }
        while mb < m {
            tile1x1(k: k, x: x + mb * ldx, w: wc, y: y + mb * ldy + nb, accumulate: accumulate)
            mb += 1
        }
        nb += 1
    }
}

/// Adds the lane sum of `a` to `*y`, or stores it.
@inline(always)
func putSum(_ a: Lanes, _ y: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
    let s = a.halvingSum()
    y.pointee = accumulate ? y.pointee + s : s
}

/// Runs a tile's `step` over K in `laneCount`-wide chunks: `step` is given the load for the chunk (applied
/// to each row pointer it reads), then once for the tail. x and w lanes line up whichever way they
/// are loaded, so when K ≥ `laneCount` the tail loads the last `laneCount` values of each row with the ones already
/// summed zeroed. Along the way it requests `aheadCount` rows from `ahead`, `aheadStride` floats apart.
@inline(always)
func sweep(k: Int, ahead: UnsafePointer<Float>? = nil, aheadStride: Int = 0, aheadCount: Int = 0,
           _ step: ((UnsafePointer<Float>) -> Lanes) -> Void) {
    var p = 0
    if let ahead {
        // One request per 64-byte line of each row, with no test inside the loop: AVX2's tile
        // uses all 16 vector registers, and a test there made LLVM spill an accumulator.
        while p + lineFloats <= k {
            requestRows(ahead, stride: aheadStride, count: aheadCount, at: p)
            for _ in 0..<(lineFloats / laneCount) {
                step { ($0 + p).lanes() }
                p += laneCount
            }
        }
    }
    while p + laneCount <= k {
        step { ($0 + p).lanes() }
        p += laneCount
    }
    if p < k {
        let left = k - p
        if p > 0 { step { ($0 + p).lanes(endingTail: left) } } else { step { $0.lanes(count: left) } }
    }
}

/// A 1 × 6 tile (the rows left over after the 4-row tiles), asking for `ahead`'s rows as it goes.
@inline(always)
private func tile1x6(k: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>, ldw: Int,
                     y: UnsafeMutablePointer<Float>, accumulate: Bool, ahead: UnsafePointer<Float>?) {
    var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes(), a4 = Lanes(), a5 = Lanes()
    let (w1, w2, w3, w4, w5) = (w + ldw, w + 2 * ldw, w + 3 * ldw, w + 4 * ldw, w + 5 * ldw)
    @inline(always)
    func step(_ load: (UnsafePointer<Float>) -> Lanes) {
        let xv = load(x)
        a0 = a0.addingProduct(xv, load(w)); a1 = a1.addingProduct(xv, load(w1)); a2 = a2.addingProduct(xv, load(w2))
        a3 = a3.addingProduct(xv, load(w3)); a4 = a4.addingProduct(xv, load(w4)); a5 = a5.addingProduct(xv, load(w5))
    }
    sweep(k: k, ahead: ahead, aheadStride: ldw, aheadCount: 6, step)
    putSum(a0, y, accumulate); putSum(a1, y + 1, accumulate); putSum(a2, y + 2, accumulate)
    putSum(a3, y + 3, accumulate); putSum(a4, y + 4, accumulate); putSum(a5, y + 5, accumulate)
}

/// A 4 × 1 tile (the columns left over after the 6-column tiles).
@inline(always)
private func tile4x1(k: Int, x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>,
                     y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
    var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
    let (x1, x2, x3) = (x + ldx, x + 2 * ldx, x + 3 * ldx)
    @inline(always)
    func step(_ load: (UnsafePointer<Float>) -> Lanes) {
        let wv = load(w)
        a0 = a0.addingProduct(load(x), wv); a1 = a1.addingProduct(load(x1), wv)
        a2 = a2.addingProduct(load(x2), wv); a3 = a3.addingProduct(load(x3), wv)
    }
    sweep(k: k, step)
    putSum(a0, y, accumulate); putSum(a1, y + ldy, accumulate); putSum(a2, y + 2 * ldy, accumulate); putSum(a3, y + 3 * ldy, accumulate)
}

/// A 1 × 1 tile (a dot product).
@inline(always)
private func tile1x1(k: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, accumulate: Bool) {
    var a = Lanes()
    var p = 0
    while p + laneCount <= k {
        a = a.addingProduct((x + p).lanes(), (w + p).lanes())
        p += laneCount
    }
    if p < k {
        let left = k - p
        if p > 0 {
            a = a.addingProduct((x + p).lanes(endingTail: left), (w + p).lanes(endingTail: left))
        } else {
            a = a.addingProduct(x.lanes(count: left), w.lanes(count: left))
        }
    }
    putSum(a, y, accumulate)
}
#endif
