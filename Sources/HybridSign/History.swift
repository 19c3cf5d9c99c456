/// The positions the clean stream has already processed: none, graph nodes (training and teacher
/// forcing), or the streaming sampler's cache.
public enum History {
    case none
    case graph(CleanStreamCache)
    case streaming(StreamingCache)

    /// Number of earlier positions.
    public var count: Int {
        switch self {
        case .none: return 0
        case .graph(let cache): return cache.count
        case .streaming(let cache): return cache.count
        }
    }
}
