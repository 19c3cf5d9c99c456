import Tensors

extension HybridSignNetwork {
    /// The text's states and the per-block keys/values (computed once per sequence batch).
    public final class TextContext {
        let states: Var
        let mask: Tensor
        var memories: [ObjectIdentifier: TextMemory] = [:]

        init(states: Var, mask: Tensor) {
            self.states = states
            self.mask = mask
        }

        func memory(for block: ExpertBlock) -> TextMemory {
            if let m = memories[ObjectIdentifier(block)] { return m }
            let m = block.textMemory(states: states, mask: mask)
            memories[ObjectIdentifier(block)] = m
            return m
        }
    }
}
