import Tensors

/// The streaming sampler's KV cache: per part and layer an append-only ``Tensors/KVCache`` of the
/// clean stream's temporal keys/values, and per part the confidence bias of the cached keys.
/// Appending a frame copies only that frame; attention reads the cache in place.
public final class StreamingCache {
    var caches: [[Tensors.KVCache]] = []
    /// Per part, time-major rows of `B·n·H` bias values.
    var biasRows: [[Float]] = []
    var biasShape: [(Int, Int)] = []
    public internal(set) var count = 0

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

extension StreamingCache {
    /// A cache of the sequences `kept` (indices into a batch of `batch`) alone: each part's rows
    /// `b·n ..< (b+1)·n` of sequence b, every cached position. A copy, made when sequences of a
    /// batched run end, so the others' attention reads no finished rows.
    func keeping(sequences kept: [Int], of batch: Int) -> StreamingCache {
        let result = StreamingCache()
        result.caches = caches.map { layers in
            layers.map { old in
                let n = old.batch / batch
                var cache = Tensors.KVCache(batch: kept.count * n, heads: old.heads, headDim: old.headDim)
                if old.length > 0 {
                    cache.append(keys: Self.sequences(old.keyTensor, kept, tokens: n), values: Self.sequences(old.valueTensor, kept, tokens: n))
                }
                return cache
            }
        }
        result.biasShape = biasShape.map { rows, heads in (rows / batch * kept.count, heads) }
        result.biasRows = biasRows.enumerated().map { p, source in
            guard !source.isEmpty else { return [] }
            let (rows, heads) = biasShape[p]
            let width = rows * heads, n = rows / batch
            let sequenceWidth = n * heads
            var out: [Float] = []
            out.reserveCapacity(source.count / batch * kept.count)
            for i in 0..<(source.count / width) {
                for b in kept { out += source[(i * width + b * sequenceWidth)..<(i * width + (b + 1) * sequenceWidth)] }
            }
            return out
        }
        result.count = count
        return result
    }

    /// Rows `b·n ..< (b+1)·n` of `x: [B·n, ...]` for each sequence b of `kept`.
    private static func sequences(_ x: Tensor, _ kept: [Int], tokens n: Int) -> Tensor {
        let width = x.count / x.shape[0] * n
        var shape = x.shape
        shape[0] = kept.count * n
        let source = x.scalars
        return Tensor(shape: shape, scalars: kept.flatMap { source[($0 * width)..<(($0 + 1) * width)] })
    }
}
