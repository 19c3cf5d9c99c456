/// A weight `W: [n, k]` rearranged for the packed product `Y = X·Wᵀ` of one kernel path:
/// `⌈n / w⌉` panels of `k × w` floats, panel j holding columns `j·w ..< (j+1)·w` of `Wᵀ` row after
/// row (zeros past n), where w is the path's panel width (two vectors: 32 floats for AVX-512, 16 for
/// AVX2). Made once per value of a weight (``Parameter/packed(for:)``) and read by every product
/// with it, so a streaming pass reads W as one contiguous stream per panel.
public final class PackedWeight: @unchecked Sendable {
    /// The path whose kernels read this packing.
    public let path: KernelPath
    /// Output features (W's rows).
    public let outputs: Int
    /// Input features (W's columns).
    public let inputs: Int
    /// Floats per panel row.
    let panelWidth: Int
    /// The panels (allocated once, never moved: products on other threads read them in place).
    let panels: UnsafePointer<Float>

    /// Packs `weight: [outputs, inputs]` for `path` (not `portable`, which has no packed kernels).
    public init(_ weight: Tensor, for path: KernelPath) {
        requireShape(weight.rank == 2, "PackedWeight: weight must be [Out, In], got \(weight.shape)")
        requireShape(path != .portable, "PackedWeight: the portable path has no packed kernels")
        self.path = path
        (outputs, inputs) = (weight.shape[0], weight.shape[1])
        let width = path.panelWidth
        panelWidth = width
        let count = (outputs + width - 1) / width * inputs * width
        let storage = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        storage.initialize(repeating: 0, count: max(count, 1))
        panels = UnsafePointer(storage)
        let (n, k, panels) = (outputs, inputs, storage)
        weight.withUnsafeBufferPointer { w in
            // Row by row of W: each read is contiguous, each write strided by the panel width.
            for column in 0..<n {
                let target = panels + (column / width) * k * width + column % width
                let source = w.baseAddress! + column * k
                for p in 0..<k { target[p * width] = source[p] }
            }
        }
    }

    deinit { panels.deallocate() }

    /// Panels in all.
    var panelCount: Int { (outputs + panelWidth - 1) / panelWidth }
}
