// Y = X·Wᵀ (+ Y) for few rows (M ≲ 160): the shape of a linear layer at inference, where OpenBLAS
// spends as long packing W (on every call) as multiplying. Each output is a dot product of a row
// of X and a row of W, so neither operand is packed: a 4 × 6 tile keeps 24 AVX-512 accumulators in
// registers and reads 6 rows of W (12 KB at K = 512, L1-resident) against all of X (L2-resident)
// before moving to the next 6 rows of W, so W streams from memory exactly once.
//
// Tiles are written out (no arrays of accumulators): an array would live in memory, and
// accumulators spilled to the stack halve the speed. `addingProduct` lowers to `vfmadd…ps zmm`
// (Swift never contracts `a * b + c` by itself).

/// Columns `n0..<n1` of `y[m, ·] = x[m, k] · w[·, k]ᵀ`, or `y += x·wᵀ` when `accumulate` is true.
/// Row-major with leading dimensions `ldx`, `ldw`, `ldy` (in floats).
///
/// Uses AVX-512: call only when the CPU has it (`Tensors.CPUFeatures.hasAVX512`).
@inline(never)
public func rowTimesTransposed(m: Int, columns n0: Int, to n1: Int, k: Int,
                               x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
                               y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
    var nb = n0
    while nb + 6 <= n1 {
        let wc = w + nb * ldw
        var mb = 0
        while mb + 4 <= m {
            tile4x6(k: k, x: x + mb * ldx, ldx: ldx, w: wc, ldw: ldw, y: y + mb * ldy + nb, ldy: ldy, accumulate: accumulate)
            mb += 4
        }
        while mb < m {
            tile1x6(k: k, x: x + mb * ldx, w: wc, ldw: ldw, y: y + mb * ldy + nb, accumulate: accumulate)
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
private func put(_ a: Lanes, _ y: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
    let s = a.halvingSum()
    y.pointee = accumulate ? y.pointee + s : s
}

/// A 4 × 6 tile: rows x[0..3], columns w[0..5], over the whole K.
/// Runs a tile's `step` over K in 16-lane chunks: `step` is given the load for the chunk (applied
/// to each row pointer it reads), then once for the tail. x and w lanes line up whichever way they
/// are loaded, so when K ≥ 16 the tail loads the last 16 values of each row with the ones already
/// summed zeroed.
@inline(always)
private func sweep(k: Int, _ step: ((UnsafePointer<Float>) -> Lanes) -> Void) {
    var p = 0
    while p + 16 <= k {
        step { ($0 + p).lanes() }
        p += 16
    }
    if p < k {
        let left = k - p
        if p > 0 { step { ($0 + p).lanes(endingTail: left) } } else { step { $0.lanes(count: left) } }
    }
}

@inline(always)
private func tile4x6(k: Int, x: UnsafePointer<Float>, ldx: Int, w: UnsafePointer<Float>, ldw: Int,
                     y: UnsafeMutablePointer<Float>, ldy: Int, accumulate: Bool) {
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
    sweep(k: k, step)
    let (y1, y2, y3) = (y + ldy, y + 2 * ldy, y + 3 * ldy)
    put(a00, y, accumulate); put(a01, y + 1, accumulate); put(a02, y + 2, accumulate)
    put(a03, y + 3, accumulate); put(a04, y + 4, accumulate); put(a05, y + 5, accumulate)
    put(a10, y1, accumulate); put(a11, y1 + 1, accumulate); put(a12, y1 + 2, accumulate)
    put(a13, y1 + 3, accumulate); put(a14, y1 + 4, accumulate); put(a15, y1 + 5, accumulate)
    put(a20, y2, accumulate); put(a21, y2 + 1, accumulate); put(a22, y2 + 2, accumulate)
    put(a23, y2 + 3, accumulate); put(a24, y2 + 4, accumulate); put(a25, y2 + 5, accumulate)
    put(a30, y3, accumulate); put(a31, y3 + 1, accumulate); put(a32, y3 + 2, accumulate)
    put(a33, y3 + 3, accumulate); put(a34, y3 + 4, accumulate); put(a35, y3 + 5, accumulate)
}

/// A 1 × 6 tile (the rows left over after the 4-row tiles).
@inline(always)
private func tile1x6(k: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>, ldw: Int,
                     y: UnsafeMutablePointer<Float>, accumulate: Bool) {
    var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes(), a4 = Lanes(), a5 = Lanes()
    let (w1, w2, w3, w4, w5) = (w + ldw, w + 2 * ldw, w + 3 * ldw, w + 4 * ldw, w + 5 * ldw)
    @inline(always)
    func step(_ load: (UnsafePointer<Float>) -> Lanes) {
        let xv = load(x)
        a0 = a0.addingProduct(xv, load(w)); a1 = a1.addingProduct(xv, load(w1)); a2 = a2.addingProduct(xv, load(w2))
        a3 = a3.addingProduct(xv, load(w3)); a4 = a4.addingProduct(xv, load(w4)); a5 = a5.addingProduct(xv, load(w5))
    }
    sweep(k: k, step)
    put(a0, y, accumulate); put(a1, y + 1, accumulate); put(a2, y + 2, accumulate)
    put(a3, y + 3, accumulate); put(a4, y + 4, accumulate); put(a5, y + 5, accumulate)
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
    put(a0, y, accumulate); put(a1, y + ldy, accumulate); put(a2, y + 2 * ldy, accumulate); put(a3, y + 3 * ldy, accumulate)
}

/// A 1 × 1 tile (a dot product).
@inline(always)
private func tile1x1(k: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, accumulate: Bool) {
    var a = Lanes()
    var p = 0
    while p + 16 <= k {
        a = a.addingProduct((x + p).lanes(), (w + p).lanes())
        p += 16
    }
    if p < k {
        let left = k - p
        if p > 0 {
            a = a.addingProduct((x + p).lanes(endingTail: left), (w + p).lanes(endingTail: left))
        } else {
            a = a.addingProduct(x.lanes(count: left), w.lanes(count: left))
        }
    }
    put(a, y, accumulate)
}
