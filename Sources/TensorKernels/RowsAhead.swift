#if arch(x86_64)
import CKernelHints

// A product whose W is not in cache (the `paper` preset's experts hold 46 MB of weights against a
// 32 MB L3, so every streaming pass reads most of them from memory) would wait on the first load
// of each new row of W; with few rows of X (21–25 tokens of a hand or the body) there is too little
// arithmetic per row of W to hide that wait. So the first row tile of each group of W's rows asks
// for the rows of a later group while it computes. Measured in a C replica of the AVX-512 tile on
// the 2-core EPYC, W cold: 59 → 73 GFLOP/s at 21 × 1536 × 512, 86 → 92 at 70 × 1536 × 512,
// 24 → 44 at 4 × 1536 × 512; unchanged with W in cache. Into L2 (`prefetcht1`) beat into L1
// (66 at 21 rows), and requests spread over the sweep beat one burst before it (63).

/// Rows of W that a tile asks the memory system for, one cache line of each per step of its sweep.
struct RowsAhead {
    /// The first of the rows.
    let first: UnsafePointer<Float>
    /// Distance between the rows, in floats.
    let stride: Int
    /// How many rows.
    let count: Int

    /// How many groups of rows ahead of the one being computed to ask for: one group (6 rows of
    /// 2 KB at K = 512) takes about as long as a miss to memory at 21 rows of X; two measured the
    /// same or better at every shape tried.
    static let groupsAhead = 2

    /// The `groupSize` rows that start `groupSize · groupsAhead` rows after row `rows` of `w`, if
    /// they end at or before row `end`; nil otherwise (never a pointer past the rows in use).
    @inline(always)
    static func after(_ rows: Int, groupSize: Int, end: Int, w: UnsafePointer<Float>, ldw: Int) -> RowsAhead? {
        let start = rows + groupSize * groupsAhead
        guard start + groupSize <= end else { return nil }
        return RowsAhead(first: w + start * ldw, stride: ldw, count: groupSize)
    }

    /// The rows `lo..<hi` of these (for a tile that computes part of a group).
    @inline(always)
    func rows(_ lo: Int, _ hi: Int) -> RowsAhead {
        RowsAhead(first: first + lo * stride, stride: stride, count: hi - lo)
    }

    /// Floats in one 64-byte cache line: one request per row covers this many columns.
    static let lineFloats = 16

    /// Asks for the cache line at column `p` of each row.
    @inline(always)
    func request(at p: Int) {
        var row = first + p
        for _ in 0..<count {
            hybridsign_prefetch_to_l2(row)
            row += stride
        }
    }
}
#endif
