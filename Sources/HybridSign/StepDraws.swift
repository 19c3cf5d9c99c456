import Tensors

/// Everything a training step draws at random, drawn for the whole batch before the batch is
/// split into shards, plus the whole batch's loss normalisers: a shard's loss is its part of the
/// batch's loss, and the step's numbers do not depend on how many shards run (only the order of
/// float sums does).
struct StepDraws {
    /// The batch as recorded (targets and loss weights).
    let batch: ModelBatch
    /// The clean stream's input: ``Objective/cleanInput(_:std:rng:)`` as a batch (diffusion: the batch).
    let input: ModelBatch
    /// Hybrid: the flow frames, (t, r) pairs and noise of each sequence.
    let flow: [SequenceFlowDraws]?
    /// Diffusion: each sequence's (t, r) pair and noise over the batch's padded length.
    let diffusion: [SequenceDiffusionDraws]?
    /// Divisors that make the shards' losses add up to the batch's.
    let normalizers: LossNormalizers

    /// Draws in a fixed order: clean-input noise, then per sequence its flow frames, pairs and
    /// noise, then (signer conditioning) per sequence whether its signer is hidden.
    init(_ config: ModelConfig, batch recorded: ModelBatch, rng: inout RandomGenerator) {
        var batch = recorded
        var input: ModelBatch
        if config.mode == .diffusion {
            input = batch   // no clean stream
        } else {
            let clean = Objective.cleanInput(batch, std: config.historyNoise, rng: &rng)
            input = ModelBatch(coordinates: clean.coordinates, confidence: clean.confidence, lengths: batch.lengths,
                               textIDs: batch.textIDs, features: batch.features, signerIDs: batch.signerIDs)
        }
        let j = batch.coordinates.shape[2]
        let frames = Float(batch.lengths.reduce(0, +))
        var flowItems = frames
        switch config.mode {
        case .hybrid:
            let draws = SequenceFlowDraws.draw(config, lengths: batch.lengths, joints: j, rng: &rng)
            flow = draws
            flowItems = Float(draws.reduce(0) { $0 + $1.jvp.count + $1.equal.count })
            diffusion = nil
        case .diffusion:
            flow = nil
            diffusion = batch.lengths.map { _ in
                SequenceDiffusionDraws(pair: Objective.timePair(config, rng: &rng),
                                       noise: (0..<(batch.maxFrames * j * 2)).map { _ in rng.normal() })
            }
        case .ar:
            flow = nil
            diffusion = nil
        }
        normalizers = LossNormalizers(ar: 2 * batch.confidence.sum(), confidence: frames * Float(j), progress: frames, flow: flowItems)
        if config.signerConditioning {
            // Drawn last, so a model without signer conditioning draws exactly as before.
            for k in batch.signerIDs.indices where rng.uniform() < config.signerDropout { batch.signerIDs[k] = 0 }
            input.signerIDs = batch.signerIDs
        }
        self.batch = batch
        self.input = input
    }

    private init(batch: ModelBatch, input: ModelBatch, flow: [SequenceFlowDraws]?, diffusion: [SequenceDiffusionDraws]?,
                 normalizers: LossNormalizers) {
        self.batch = batch
        self.input = input
        self.flow = flow
        self.diffusion = diffusion
        self.normalizers = normalizers
    }

    /// The draws of the sequences `range` (padded to their own longest length), with the whole
    /// batch's normalisers.
    func sequences(_ range: Range<Int>) -> StepDraws {
        StepDraws(batch: batch.sequences(range), input: input.sequences(range), flow: flow.map { Array($0[range]) },
                  diffusion: diffusion.map { Array($0[range]) }, normalizers: normalizers)
    }

    /// The sequence ranges of `shards` shards of about equal size (fewer when the batch is smaller).
    static func shardRanges(batchSize b: Int, shards: Int) -> [Range<Int>] {
        let n = max(1, min(shards, b))
        return (0..<n).map { s in (s * b / n)..<((s + 1) * b / n) }
    }
}

/// What the hybrid's flow trains on in one sequence: the frames with r ≠ t (the JVP group) and
/// r = t, each frame's (t, r) and its noise `[length · J · 2]` (zero for frames not chosen).
struct SequenceFlowDraws {
    var jvp: [Int]
    var equal: [Int]
    var pairs: [(t: Float, r: Float)]
    var noise: [Float]

    /// Per sequence: frames (``Objective/flowFrames(length:_:rng:)``), their pairs, their noise;
    /// at least one frame in the batch.
    static func draw(_ config: ModelConfig, lengths: [Int], joints j: Int, rng: inout RandomGenerator) -> [SequenceFlowDraws] {
        var draws = lengths.map { length in
            let (jvp, equal) = Objective.flowFrames(length: length, config, rng: &rng)
            var d = SequenceFlowDraws(jvp: jvp, equal: equal, pairs: Array(repeating: (0, 0), count: length),
                                      noise: Array(repeating: 0, count: length * j * 2))
            for i in jvp { d.pairs[i] = Objective.timePair(config, equal: false, rng: &rng) }
            for i in equal { d.pairs[i] = Objective.timePair(config, equal: true, rng: &rng) }
            for i in jvp + equal { d.drawNoise(frame: i, joints: j, rng: &rng) }
            return d
        }
        if !draws.isEmpty && draws.allSatisfy({ $0.jvp.isEmpty && $0.equal.isEmpty }) {
            draws[0].equal.append(0)
            draws[0].pairs[0] = Objective.timePair(config, equal: true, rng: &rng)
            draws[0].drawNoise(frame: 0, joints: j, rng: &rng)
        }
        return draws
    }

    mutating func drawNoise(frame i: Int, joints j: Int, rng: inout RandomGenerator) {
        for e in 0..<(j * 2) { noise[i * j * 2 + e] = rng.normal() }
    }
}

/// The `diffusion` baseline's draws for one sequence: one (t, r) and noise `[T · J · 2]` over the
/// batch's padded length T.
struct SequenceDiffusionDraws {
    let pair: (t: Float, r: Float)
    let noise: [Float]
}

/// The whole batch's divisors of the loss terms: the AR term's mask sum (2 coordinates per
/// joint, weighted by confidence), the confidence and progress terms' counts of real joint slots
/// and frames, and the number of flow items.
struct LossNormalizers {
    let ar: Float
    let confidence: Float
    let progress: Float
    let flow: Float
}
