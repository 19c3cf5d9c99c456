import Tensors

/// The clean stream's temporal keys/values per part and layer: the KV cache of the streaming
/// sampler, and the history the noisy stream attends to in training.
public struct CleanStreamCache {
    /// `layers[part][layer]`.
    public var layers: [[TemporalMemory]]

    /// Number of cached positions.
    public var count: Int { layers.first?.first?.count ?? 0 }

    /// The same keys/values as constants (no gradient, no tangent).
    public func detached() -> CleanStreamCache {
        CleanStreamCache(layers: layers.map { $0.map {
            TemporalMemory(keys: stopGradient($0.keys), values: stopGradient($0.values), bias: $0.bias.map(stopGradient))
        } })
    }

    /// This cache followed by `other`'s positions.
    public func appending(_ other: CleanStreamCache) -> CleanStreamCache {
        CleanStreamCache(layers: zip(layers, other.layers).map { zip($0, $1).map { $0.appending($1) } })
    }
}
