import Tensors

/// adaLN shift/scale/gate values per layer for one conditioning value, computed once.
final class ModulationTable {
    var table: [ObjectIdentifier: [Var]] = [:]

    func values(for layer: AnyObject, _ make: () -> [Var]) -> [Var] {
        if let v = table[ObjectIdentifier(layer)] { return v }
        let v = make()
        table[ObjectIdentifier(layer)] = v
        return v
    }
}
