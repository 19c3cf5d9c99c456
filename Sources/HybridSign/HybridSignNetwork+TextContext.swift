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

        /// The text's keys and values for `block`; on a graph that records nothing (inference) with
        /// the block's cross-attention projections folded in when that saves work.
        func memory(for block: ExpertBlock) -> TextMemory {
            if let m = memories[ObjectIdentifier(block)] { return m }
            var m = block.textMemory(states: states, mask: mask)
            if states.graph?.isRecording == false { m.folded = FoldedTextMemory(block: block, memory: m) }
            memories[ObjectIdentifier(block)] = m
            return m
        }
    }
}
