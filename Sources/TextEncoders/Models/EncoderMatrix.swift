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

    /// `parts` stacked by rows; each holds a whole number of rows of `columns` values.
    init(stacking parts: [[Float]], columns: Int) {
        precondition(parts.allSatisfy { $0.count % columns == 0 }, "EncoderMatrix: a part is not whole rows of \(columns)")
        let count = parts.reduce(0) { $0 + $1.count }
        rows = count / columns
        self.columns = columns
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(count, 1))
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

    deinit { base.deallocate() }
}
