/// Builders for attention masks: additive tensors, 0 where a query may attend to a key and
/// `-inf` where it may not, broadcastable to `[B, 1, Tq, Tk]`.
public enum AttentionMask {
    /// Causal mask `[Tq, Tk]`: query `i` sees keys `0...i + (Tk − Tq)`, so the last query sees every
    /// key (queries are the last `Tq` positions of a sequence of `Tk`, as with a KV cache).
    public static func causal(queries: Int, keys: Int) -> Tensor {
        let shift = keys - queries
        return Tensor(shape: [queries, keys]) { out in
            for i in 0..<queries { for j in 0..<keys { out[i * keys + j] = j <= i + shift ? 0 : -.infinity } }
        }
    }

    /// Mask from a predicate `allowed(query, key)`: `[Tq, Tk]`.
    public static func from(queries: Int, keys: Int, allowed: (Int, Int) -> Bool) -> Tensor {
        Tensor(shape: [queries, keys]) { out in
            for i in 0..<queries { for j in 0..<keys { out[i * keys + j] = allowed(i, j) ? 0 : -.infinity } }
        }
    }

    /// Additive mask from booleans (`true` = may attend), any shape broadcastable to `[B, 1, Tq, Tk]`.
    public static func from(allowed: [Bool], shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: allowed.map { $0 ? 0 : -.infinity })
    }

    /// Key-padding mask `[B, 1, 1, Tk]`: sequence `b` has `lengths[b]` valid keys.
    public static func keyPadding(lengths: [Int], keys: Int) -> Tensor {
        Tensor(shape: [lengths.count, 1, 1, keys]) { out in
            for (b, n) in lengths.enumerated() { for j in 0..<keys { out[b * keys + j] = j < n ? 0 : -.infinity } }
        }
    }
}
