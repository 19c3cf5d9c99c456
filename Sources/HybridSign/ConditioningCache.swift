import Tensors

/// Modulations per flow-time pair for one sampling call, for a sampler that reuses the same times
/// in every frame (the clean stream's t = r = 0, and the flow steps' grid): the adaLN projections
/// then run once per network and weights instead of once per pass (the values live on in the
/// network's ``ModulationStore`` for the next call).
public final class ConditioningCache {
    let graph: Graph
    let store: ModulationStore
    let weightsVersion: Int
    var tables: [SIMD2<Float>: ModulationTable] = [:]

    /// A cache for a sampling call of `network` recording into `graph`.
    public init(network: HybridSignNetwork, graph: Graph) {
        self.graph = graph
        store = network.modulationStore
        weightsVersion = network.weightsVersion
        store.validate(weightsVersion: weightsVersion)
    }

    func table(t: Float, r: Float) -> ModulationTable {
        if let table = tables[SIMD2(t, r)] { return table }
        let table = ModulationTable(shared: .init(store: store, weightsVersion: weightsVersion, graph: graph, t: t, r: r))
        tables[SIMD2(t, r)] = table
        return table
    }
}
