import Tensors

/// The streaming sampler's KV cache: per part and layer an append-only ``Tensors/KVCache`` of the
/// clean stream's temporal keys/values, and per part the confidence bias of the cached keys.
/// Appending a frame copies only that frame; attention reads the cache in place.
public final class StreamingCache {
    var caches: [[Tensors.KVCache]] = []
    /// Per part, time-major rows of `B·n·H` bias values.
    var biasRows: [[Float]] = []
    var biasShape: [(Int, Int)] = []
    public private(set) var count = 0

    public init() {}

    /// Appends the positions a clean pass produced (its own keys, values and biases).
    public func append(_ produced: CleanStreamCache) {
        if caches.isEmpty {
            caches = produced.layers.map { layers in
                layers.map { Tensors.KVCache(batch: $0.keys.shape[0], heads: $0.keys.shape[1], headDim: $0.keys.shape[3]) }
            }
            biasRows = produced.layers.map { _ in [] }
            biasShape = produced.layers.map { ($0[0].keys.shape[0], $0[0].keys.shape[1]) }
        }
        for (p, layers) in produced.layers.enumerated() {
            for (l, memory) in layers.enumerated() {
                caches[p][l].append(keys: memory.keys.value, values: memory.values.value)
            }
            // The bias is the same in every layer of a part: store it once, time-major.
            if let bias = layers[0].bias?.value {
                let (rows, heads) = biasShape[p]
                let n = bias.shape[3]
                for i in 0..<n { for r in 0..<(rows * heads) { biasRows[p].append(bias.scalars[r * n + i]) } }
            }
        }
        count += produced.count
    }

    /// The cached keys' confidence bias of part `p`: `[B·n, H, 1, Tc]` (nil without the bias).
    func bias(part p: Int) -> Tensor? {
        guard !biasRows[p].isEmpty else { return nil }
        let (rows, heads) = biasShape[p]
        let width = rows * heads
        let tc = biasRows[p].count / width
        let source = biasRows[p]
        return Tensor(shape: [rows, heads, 1, tc]) { out in
            for r in 0..<width { for i in 0..<tc { out[r * tc + i] = source[i * width + r] } }
        }
    }
}
