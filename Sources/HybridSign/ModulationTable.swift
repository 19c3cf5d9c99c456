import Tensors

/// adaLN shift/scale/gate values per layer for one conditioning value, computed once: within one
/// pass (a fresh table), or, for a sampler's fixed flow times, once per network and weights
/// (a table of a ``ConditioningCache``, backed by the network's ``ModulationStore``).
final class ModulationTable {
    /// Where a table of a ``ConditioningCache`` finds and keeps values between sampling calls
    /// (not the cache itself, which holds the table).
    struct Shared {
        let store: ModulationStore
        let weightsVersion: Int
        /// The sampling call's graph, for the stored values as constants.
        let graph: Graph
        let t: Float
        let r: Float
    }

    private var table: [ObjectIdentifier: [Var]] = [:]
    /// Set for a sampler's table, whose values must not depend on the batch (they are computed
    /// from a `[1, 1, D]` conditioning and broadcast).
    let shared: Shared?

    init(shared: Shared? = nil) {
        self.shared = shared
    }

    func values(for layer: AnyObject, _ make: () -> [Var]) -> [Var] {
        let id = ObjectIdentifier(layer)
        if let v = table[id] { return v }
        let v: [Var]
        if let shared {
            if let stored = shared.store.values(t: shared.t, r: shared.r, layer: id, weightsVersion: shared.weightsVersion) {
                v = stored.map { shared.graph.constant($0) }
            } else {
                v = make()
                shared.store.store(v.map(\.value), t: shared.t, r: shared.r, layer: id, weightsVersion: shared.weightsVersion)
            }
        } else {
            v = make()
        }
        table[id] = v
        return v
    }
}
