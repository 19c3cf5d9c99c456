#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rows of `table: [V, D]` picked by `ids` → `[ids.count, D]`. The gradient is scattered back
/// (summed over repeated ids). `graph` records the op when `table` is a ``Parameter``.
public func embedding(_ table: Var, ids: [Int], graph: Graph? = nil) -> Var {
    requireShape(table.shape.count == 2, "embedding: table must be [V, D], got \(table.shape)")
    let (v, d) = (table.shape[0], table.shape[1])
    for id in ids { requireShape(id >= 0 && id < v, "embedding: id \(id) out of range 0..<\(v)") }
    func gather(_ t: Tensor) -> Tensor {
        Tensor(shape: [ids.count, d]) { out in
            t.withUnsafeBufferPointer { tb in
                guard let tp = tb.baseAddress, let op = out.baseAddress else { return }
                for (r, id) in ids.enumerated() { (op + r * d).update(from: tp + id * d, count: d) }
            }
        }
    }
    return Var.result("embedding", gather(table.value), tangent: table.tangent.map(gather), inputs: [table], graph: graph) { g in
        var gt = Tensor(zeros: [v, d])
        g.withUnsafeBufferPointer { gb in
            gt.withUnsafeMutableBufferPointer { tb in
                guard let gp = gb.baseAddress, let tp = tb.baseAddress else { return }
                for (r, id) in ids.enumerated() {
                    let src = gp + r * d, dst = tp + id * d
                    for i in 0..<d { dst[i] += src[i] }
                }
            }
        }
        return [gt]
    }
}
