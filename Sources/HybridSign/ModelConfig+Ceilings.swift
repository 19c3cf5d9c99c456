import PoseData

extension ModelConfig {
    /// The largest configuration a model file may declare (Docs/model.md lists them). A checkpoint
    /// is untrusted input: its configuration is checked against these, and against the weights it
    /// stores (``minimumParameterCount``), before any layer is allocated.
    public enum Ceilings {
        /// Model width D.
        public static let dim = 4096
        /// Attention heads.
        public static let heads = 256
        /// Blocks per expert stack.
        public static let depth = 64
        /// Hidden width of the blocks' MLPs.
        public static let mlp = 65_536
        /// Layers of the built-in text encoder.
        public static let textLayers = 64
        /// Width of precomputed sentence features (the widest feature row data may hold).
        public static let sentenceWidth = PoseLimits.maximumFeatureWidth
        /// Ids in a text vocabulary (padding included).
        public static let vocabulary = 1 << 20
        /// Signers a signer-conditioned model knows.
        public static let signers = 1 << 20
        /// `maxFrames`, the longest sequence a model trains on and samples.
        public static let maxFrames = 100_000
    }

    /// Checks every size against ``Ceilings`` and the layout's joints against
    /// ``PoseLimits/maximumJoints``, before anything is computed from them.
    func checkCeilings() throws(HybridSignError) {
        let sizes: [(String, Int, Int)] = [
            ("dim", dim, Ceilings.dim), ("heads", heads, Ceilings.heads), ("depth", depth, Ceilings.depth),
            ("mlp", mlp, Ceilings.mlp), ("textLayers", textLayers, Ceilings.textLayers),
            ("sentenceWidth", sentenceWidth, Ceilings.sentenceWidth), ("maxFrames", maxFrames, Ceilings.maxFrames),
            ("layout joints", layout.jointCount, PoseLimits.maximumJoints),
        ]
        for (name, value, ceiling) in sizes where value > ceiling {
            throw HybridSignError.invalidConfig("\(name) is \(value), over the ceiling of \(ceiling)")
        }
    }

    /// A lower bound on the network's parameters (floats) for a vocabulary of `vocabularySize`
    /// ids and `signers` signers, in floating point so no product overflows: the attention and MLP
    /// weights of every expert block (the flow's own too) and text layer, the text embedding or
    /// projection, and the signer embedding. A checkpoint whose stored weights hold fewer floats
    /// cannot be this model, so its configuration is refused before the network is built: the
    /// file's own size bounds what it makes the tool allocate.
    public func minimumParameterCount(vocabularySize: Int, signers: Int = 0) -> Double {
        let d = Double(dim), hidden = Double(mlp)
        let backbones: Double = flowBackbone == .separate ? 2 : 1
        let stacks = backbones * (experts ? Double(layout.parts.count) : 1)
        // Per expert block: temporal QKV + out (4d²), cross Q + KV + out (4d²), MLP (2·d·mlp).
        let expertBlocks = stacks * Double(depth) * (8 * d * d + 2 * d * hidden)
        // Per text layer: QKV + out (4d²), MLP (2·d·mlp).
        let textBlocks = Double(textLayers) * (4 * d * d + 2 * d * hidden)
        let textInput = text == .sentence ? Double(sentenceWidth) * d : Double(max(vocabularySize, 1)) * d
        let signerTable = signerConditioning ? Double(signers + 1) * d : 0
        return expertBlocks + textBlocks + textInput + signerTable
    }
}
