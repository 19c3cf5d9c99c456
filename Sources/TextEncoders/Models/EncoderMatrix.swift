/// A weight matrix of a frozen encoder, `[rows, columns]` row-major (PyTorch's `[out, in]` for a
/// linear layer), in memory of its own aligned to 64 bytes and never written after loading, so
/// products read it in place from any thread. Several checkpoint tensors of one width can be
/// stacked into one matrix at load (the query, key and value projections), so that one product
/// computes them all.
final class EncoderMatrix: @unchecked Sendable {
    // Sendable: `base` is written only in init.
    let rows: Int
    let columns: Int
    let base: UnsafeMutablePointer<Float>
    /// Whether memory holds the matrix transposed, `[columns, rows]` (see ``init(linear:out:inner:)``).
    let transposed: Bool

    /// `parts` stacked by rows; each holds a whole number of rows of `columns` values.
    init(stacking parts: [[Float]], columns: Int) {
        precondition(parts.allSatisfy { $0.count % columns == 0 }, "EncoderMatrix: a part is not whole rows of \(columns)")
        let count = parts.reduce(0) { $0 + $1.count }
        rows = count / columns
        self.columns = columns
        transposed = false
        base = Self.allocate(count)
        var offset = 0
        for part in parts {
            part.withUnsafeBufferPointer { values in
                if let start = values.baseAddress { (base + offset).initialize(from: start, count: values.count) }
            }
            offset += part.count
        }
    }

    convenience init(_ values: [Float], columns: Int) {
        self.init(stacking: [values], columns: columns)
    }

    /// A linear layer's `[out, inner]` weights, kept as they are when `inner ≤ out` and stored
    /// transposed (`[inner, out]`) when `inner > out`: OpenBLAS packs a wide-and-short W faster
    /// from that layout (t5-base's down projection, 20 × 3072 · 3072 × 768: 24.4 vs 30.1 ms of
    /// processor time for twelve layers, where the other products lose 10–15 % to it).
    init(linear values: [Float], out: Int, inner: Int) {
        precondition(values.count == out * inner, "EncoderMatrix: \(values.count) values are not \(out) × \(inner)")
        rows = out
        columns = inner
        transposed = inner > out
        base = Self.allocate(values.count)
        if transposed {
            for r in 0..<out { for c in 0..<inner { base[c * out + r] = values[r * inner + c] } }
        } else {
            values.withUnsafeBufferPointer { if let start = $0.baseAddress { base.initialize(from: start, count: $0.count) } }
        }
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(count, 1))
    }

    deinit { base.deallocate() }
}
