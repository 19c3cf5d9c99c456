/// Numpy-style broadcasting: shapes are aligned at the right; each dimension pair must be equal
/// or contain a 1.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
    }
    return out
}

/// Strides of `shape` (row-major) seen as broadcast to `target`: 0 on broadcast dimensions.
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let offset = target.count - shape.count
    var strides = [Int](repeating: 0, count: target.count)
    var step = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i + offset] = shape[i] == 1 && target[i + offset] != 1 ? 0 : step
        step *= shape[i]
    }
    return strides
}

/// An iteration plan over an output shape with up to three operands' strides, with adjacent
/// dimensions merged where every operand stays contiguous, so inner loops run long.
struct StridedPlan {
    var dims: [Int]
    var strides: [[Int]]

    init(shape: [Int], strides operandStrides: [[Int]]) {
        var dims: [Int] = []
        var strides = [[Int]](repeating: [], count: operandStrides.count)
        for axis in shape.indices where shape[axis] != 1 {
            if let last = dims.last, operandStrides.indices.allSatisfy({ k in
                strides[k].last! == operandStrides[k][axis] * shape[axis]
            }) {
                dims[dims.count - 1] = last * shape[axis]
                for k in operandStrides.indices { strides[k][strides[k].count - 1] = operandStrides[k][axis] }
            } else {
                dims.append(shape[axis])
                for k in operandStrides.indices { strides[k].append(operandStrides[k][axis]) }
            }
        }
        if dims.isEmpty {
            dims = [1]
            strides = strides.map { _ in [1] }
        }
        self.dims = dims
        self.strides = strides
    }

    /// Number of inner rows (product of all but the last merged dimension).
    var outerCount: Int { dims.dropLast().elementCount }
    var innerCount: Int { dims.last! }

    /// Calls `body(offsets, n)` for each inner row in `rows`, where `offsets[k]` is operand k's offset.
    @inline(__always)
    func forEachRow(in rows: Range<Int>, _ body: (_ offsets: UnsafeMutableBufferPointer<Int>, _ n: Int) -> Void) {
        let k = strides.count
        let outerRank = dims.count - 1
        withUnsafeTemporaryAllocation(of: Int.self, capacity: k + outerRank) { scratch in
            let offsets = UnsafeMutableBufferPointer(rebasing: scratch[0..<k])
            let index = UnsafeMutableBufferPointer(rebasing: scratch[k..<(k + outerRank)])
            // Decompose the first row number into a multi-index.
            var rest = rows.lowerBound
            for d in stride(from: outerRank - 1, through: 0, by: -1) {
                index[d] = rest % dims[d]
                rest /= dims[d]
            }
            for j in 0..<k {
                var o = 0
                for d in 0..<outerRank { o += index[d] * strides[j][d] }
                offsets[j] = o
            }
            for _ in rows {
                body(offsets, dims[outerRank])
                // Advance the multi-index by one row.
                var d = outerRank - 1
                while d >= 0 {
                    index[d] += 1
                    for j in 0..<k { offsets[j] += strides[j][d] }
                    if index[d] < dims[d] { break }
                    for j in 0..<k { offsets[j] -= strides[j][d] * dims[d] }
                    index[d] = 0
                    d -= 1
                }
            }
        }
    }
}
