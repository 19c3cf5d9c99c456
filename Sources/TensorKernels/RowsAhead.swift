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
//
// Free functions over plain pointers, not a type: a type here would have its value witnesses
// (`__swift_memcpy24_8` and the like) emitted weak in this AVX-512 module, shared by name with
// every other module (KernelSymbolTests).

/// How many groups of rows ahead of the one being computed to ask for. One, two and four measured
/// the same, in the C replica and in the `paper` stream.
@inline(always)
var groupsAhead: Int { 2 }

/// Floats in one 64-byte cache line: one request per row covers this many columns.
@inline(always)
var lineFloats: Int { 16 }

/// The first of the `groupSize` rows that start `groupSize · groupsAhead` rows after row `rows`
/// of `w`, if they end at or before row `end`; nil otherwise (never a pointer past the rows in use).
@inline(always)
func rowsAhead(of rows: Int, groupSize: Int, end: Int, w: UnsafePointer<Float>, ldw: Int) -> UnsafePointer<Float>? {
    let start = rows + groupSize * groupsAhead
    guard start + groupSize <= end else { return nil }
    return w + start * ldw
}

/// Asks for the cache line at column `p` of `count` rows, the first at `first`, `stride` floats apart.
@inline(always)
func requestRows(_ first: UnsafePointer<Float>, stride: Int, count: Int, at p: Int) {
    var row = first + p
    for _ in 0..<count {
        hybridsign_prefetch_to_l2(row)
        row += stride
    }
}
#endif
