/// Modulations per flow-time pair, for a sampler that reuses the same times in every frame
/// (the clean stream's t = r = 0, and the flow steps' grid): the adaLN projections (a matrix of
/// 3·sublayers·D × D per block) then run once per sequence instead of once per pass.
public final class ConditioningCache {
    var tables: [SIMD2<Float>: ModulationTable] = [:]

    public init() {}

    func table(t: Float, r: Float) -> ModulationTable {
        if let table = tables[SIMD2(t, r)] { return table }
        let table = ModulationTable()
        tables[SIMD2(t, r)] = table
        return table
    }
}
