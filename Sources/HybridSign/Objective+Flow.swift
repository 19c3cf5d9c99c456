import Foundation
import Tensors

/// The MeanFlow part of the objectives: the draws of flow times and frames, and one loss builder
/// for both the hybrid's per-frame flow and the `diffusion` baseline's whole-sequence flow.
extension Objective {
    /// Flow times stay at least this far from 0: u = (z − x̂)/t stays well conditioned.
    static let minimumTime: Float = 0.02

    /// A logit-normal flow-time pair: t = max, r = min of two samples (t at least
    /// ``minimumTime``); r = t with probability `flowMatchingFraction` (or as `equal` says).
    static func timePair(_ config: ModelConfig, equal: Bool? = nil, rng: inout RandomGenerator) -> (t: Float, r: Float) {
        func sample() -> Float { 1 / (1 + expf(-(config.timeMean + config.timeStd * rng.normal()))) }
        let a = sample(), b = sample()
        let t = max(a, b, minimumTime)
        let equal = equal ?? (rng.uniform() < config.flowMatchingFraction)
        return equal ? (t, t) : (t, min(a, b))
    }

    /// `x` rounded down or up at random, up with probability frac(x) (the expectation stays x).
    static func stochasticRound(_ x: Float, rng: inout RandomGenerator) -> Int {
        let low = x.rounded(.down)
        return Int(low) + (rng.uniform() < x - low ? 1 : 0)
    }

    /// The frames of a sequence of `length` the flow trains on, split into those with r ≠ t (the
    /// JVP group) and those with r = t, in frame order. Stratified: `flowFraction · length` frames
    /// and `1 − flowMatchingFraction` of them with r ≠ t, each count rounded at random, so every
    /// frame has the chances of independent draws while the sequences of a batch get groups of
    /// (almost) equal size: a group is packed to its longest row, and padding costs a full pass.
    static func flowFrames(length: Int, _ config: ModelConfig, rng: inout RandomGenerator) -> (jvp: [Int], equal: [Int]) {
        let count = min(length, stochasticRound(config.flowFraction * Float(length), rng: &rng))
        var order = Array(0..<length)
        for i in 0..<count { order.swapAt(i, i + Int(rng.uniform() * Float(length - i)) % (length - i)) }
        let chosen = order.prefix(count)
        let jvpCount = min(count, stochasticRound(Float(count) * (1 - config.flowMatchingFraction), rng: &rng))
        return (chosen.prefix(jvpCount).sorted(), chosen.dropFirst(jvpCount).sorted())
    }

    /// The hybrid's per-frame flow: the chosen frames in two noisy passes against the clean
    /// stream, those with r ≠ t (which need the JVP) and those with r = t. A frame starts from its
    /// AR estimate, source s = sg(μ_i) + σ·ε, or from s = σ·ε (``FlowSource``). Returns the loss (nil when no frame was chosen in
    /// this shard) and the mean raw error per flow item of the batch.
    static func hybridFlowLoss(model: HybridSignModel, draws: StepDraws, clean: CleanOutput,
                               text: HybridSignNetwork.TextContext, graph g: Graph) -> (Var?, Float) {
        let config = model.config
        let sequences = draws.flow!
        let j = draws.batch.coordinates.shape[2]
        // Detached: μ feeds the flow as data. Position i of the clean stream (T + 1 positions,
        // the start token first) estimates frame i.
        let mu = clean.mean.value.scalars, chat = clean.confidence.value.scalars
        let positions = clean.mean.shape[1]
        let history: History = .graph(config.detachHistory ? clean.cache.detached() : clean.cache)
        var total: Var?
        var errorSum: Float = 0
        for needsJVP in [true, false] {
            let frames = sequences.map { needsJVP ? $0.jvp : $0.equal }
            let slots = frames.map(\.count).max() ?? 0
            guard slots > 0 else { continue }
            let group = FlowGroup(needsJVP: needsJVP, sequences: Array(sequences.indices), slots: slots,
                                  items: zip(frames, sequences).map { chosen, draws in chosen.map { ($0, draws.pairs[$0]) } },
                                  paddingTimes: sequences.map { _ in (1, 1) })
            let (loss, error) = flowGroupLoss(group, model: model, batch: draws.batch, text: text, history: history,
                                              normalizer: draws.normalizers.flow, graph: g,
                                              source: { k, i, m, e in
                                                  let estimate = (k * positions + i) * j + m
                                                  let mean = mu[estimate * 2 + e]
                                                  return (config.flowStart(mean: mean, noise: config.sigma * sequences[k].noise[(i * j + m) * 2 + e]), mean)
                                              },
                                              ownConfidence: { k, i, m in chat[(k * positions + i) * j + m] })
            total = total.map { $0 + loss } ?? loss
            errorSum += error
        }
        return (total, errorSum / max(draws.normalizers.flow, 1))
    }

    /// The `diffusion` baseline: non-causal MeanFlow over whole sequences, one (t, r) per
    /// sequence, source s = ε (μ = 0); sequences with r ≠ t run as one group with the JVP. Returns
    /// the loss and the mean raw error per real frame of the batch.
    static func diffusionLoss(model: HybridSignModel, draws: StepDraws, graph g: Graph) -> (Var, Float) {
        let config = model.config
        let batch = draws.batch, sequences = draws.diffusion!
        let j = batch.coordinates.shape[2]
        var total: Var?
        var errorSum: Float = 0
        for needsJVP in [true, false] {
            let members = sequences.indices.filter { (sequences[$0].pair.t != sequences[$0].pair.r) == needsJVP }
            guard !members.isEmpty else { continue }
            // Padding frames keep their sequence's times (they are masked and weigh nothing).
            let group = FlowGroup(needsJVP: needsJVP, sequences: members, slots: batch.maxFrames,
                                  items: members.map { k in (0..<batch.lengths[k]).map { ($0, sequences[k].pair) } },
                                  paddingTimes: members.map { sequences[$0].pair })
            let text = model.network.encodeText(ids: config.text == .sentence ? nil : members.map { batch.textIDs[$0] },
                                                features: config.text == .sentence ? batch.features.map { f in members.map { f[$0] } } : nil,
                                                signers: members.map { batch.signerIDs[$0] }, graph: g)
            let (loss, error) = flowGroupLoss(group, model: model, batch: batch, text: text, history: .none,
                                              normalizer: draws.normalizers.flow, graph: g,
                                              source: { k, i, m, e in (sequences[k].noise[(i * j + m) * 2 + e], 0) },
                                              ownConfidence: { _, _, _ in 1 })
            total = total.map { $0 + loss } ?? loss
            errorSum += error
        }
        return (total!, errorSum / max(draws.normalizers.flow, 1))
    }
}

/// The items of one noisy pass of a flow loss, laid out `[rows, slots]`: row r holds batch
/// sequence `sequences[r]`, slot s of it the frame `items[r][s].frame` with its (t, r) times.
/// Slots past a row's items are padding: frame −1, weight 0, times `paddingTimes[r]` (u divides
/// by t, so never 0).
struct FlowGroup {
    /// Whether the times carry tangents (r ≠ t): the MeanFlow target then needs du/dt.
    let needsJVP: Bool
    let sequences: [Int]
    let slots: Int
    let items: [[(frame: Int, times: (t: Float, r: Float))]]
    let paddingTimes: [(t: Float, r: Float)]
}

extension Objective {
    /// The loss of one flow group (the MeanFlow objective of the type's doc comment). `source`
    /// gives, for sequence k, frame i, joint m and coordinate e, the flow's source s and the
    /// estimate μ the noisy stream reads; `ownConfidence` the confidence of the item's own key.
    /// Per item, with the data's frame x and confidences c:
    ///
    /// - z = (1 − t)·x + t·s, v = s − x, and u = u(z, r, t) from one noisy pass;
    /// - target u_tgt = v − (t − r)·du/dt (du/dt the forward-mode JVP along (v, 0, 1); r = t: v);
    /// - err = Σ_m Σ_e w_m·(u − u_tgt)² with w_m = c_m / (2·Σ c) over the visible joints;
    ///
    /// and the loss is Σ sg(1/(err + 1e−3)^p)·err / `normalizer` (``weightedFlowLoss``).
    /// Returns the loss and the sum of the items' raw errors.
    static func flowGroupLoss(_ group: FlowGroup, model: HybridSignModel, batch: ModelBatch, text: HybridSignNetwork.TextContext,
                              history: History, normalizer: Float, graph g: Graph,
                              source: (Int, Int, Int, Int) -> (s: Float, mean: Float),
                              ownConfidence: (Int, Int, Int) -> Float) -> (Var, Float) {
        let (rows, slots, t, j) = (group.sequences.count, group.slots, batch.maxFrames, batch.coordinates.shape[2])
        let x = batch.coordinates.scalars, c = batch.confidence.scalars
        var z = [Float](repeating: 0, count: rows * slots * j * 2), v = z, mean = z
        var ownConf = [Float](repeating: 1, count: rows * slots * j), weight = [Float](repeating: 0, count: rows * slots * j)
        var ts = group.paddingTimes.flatMap { Array(repeating: $0.t, count: slots) }
        var rs = group.paddingTimes.flatMap { Array(repeating: $0.r, count: slots) }
        var frames = [[Int]](repeating: [Int](repeating: -1, count: slots), count: rows)
        for (row, k) in group.sequences.enumerated() {
            for (slot, item) in group.items[row].enumerated() {
                let i = item.frame, (tt, _) = item.times
                frames[row][slot] = i
                ts[row * slots + slot] = item.times.t
                rs[row * slots + slot] = item.times.r
                var visible: Float = 0
                for m in 0..<j { visible += c[(k * t + i) * j + m] }
                for m in 0..<j {
                    let src = (k * t + i) * j + m, dst = (row * slots + slot) * j + m
                    ownConf[dst] = ownConfidence(k, i, m)
                    weight[dst] = visible > 0 ? c[src] / (2 * visible) : 0
                    for e in 0..<2 {
                        let (s, estimate) = source(k, i, m, e)
                        let xv = x[src * 2 + e]
                        z[dst * 2 + e] = (1 - tt) * xv + tt * s
                        v[dst * 2 + e] = s - xv
                        mean[dst * 2 + e] = estimate
                    }
                }
            }
        }
        let shape = [rows, slots, j, 2]
        let velocity = Tensor(shape: shape, scalars: v)
        let zVar = g.input(Tensor(shape: shape, scalars: z), tangent: group.needsJVP ? velocity : nil)
        let tVar = g.input(Tensor(shape: [rows, slots], scalars: ts), tangent: group.needsJVP ? Tensor(repeating: 1, shape: [rows, slots]) : nil)
        let rVar = g.input(Tensor(shape: [rows, slots], scalars: rs))
        let u = model.network.noisyPass(z: zVar, mean: Tensor(shape: shape, scalars: mean),
                                        ownConfidence: Tensor(shape: [rows, slots, j], scalars: ownConf), frames: frames,
                                        t: tVar, r: rVar, text: text, history: history, graph: g)
        // MeanFlow target v − (t − r)·du/dt, a constant (tangents are never differentiated).
        var target = velocity
        if group.needsJVP, let dudt = u.tangent {
            target = Tensor(shape: shape) { out in
                for n in 0..<(rows * slots * j * 2) { out[n] = v[n] - (ts[n / (j * 2)] - rs[n / (j * 2)]) * dudt.scalars[n] }
            }
        }
        return weightedFlowLoss(u: u, target: target, weight: Tensor(shape: [rows, slots, j, 1], scalars: weight),
                                frames: frames, power: model.config.adaptivePower, normalizer: normalizer, graph: g)
    }

    /// Σ over items of sg(w)·err / `normalizer`, with err the confidence-weighted squared error of
    /// an item (`weight` sums to 1 over its visible joints' coordinates) and w = 1/(err + 1e−3)^p.
    /// Returns the loss and the sum of the items' raw errors.
    static func weightedFlowLoss(u: Var, target: Tensor, weight: Tensor, frames: [[Int]], power: Float,
                                 normalizer: Float, graph g: Graph) -> (Var, Float) {
        let (b, tg) = (u.shape[0], u.shape[1])
        let perItem = sum(sum(square(u - g.constant(target)) * g.constant(weight), alongAxis: 3), alongAxis: 2)   // [B, Tg]
        var adaptive = [Float](repeating: 0, count: b * tg)
        var errorSum: Float = 0
        for k in 0..<b {
            for slot in 0..<tg where frames[k][slot] >= 0 {
                let err = perItem.value.scalars[k * tg + slot]
                errorSum += err
                adaptive[k * tg + slot] = 1 / powf(err + 1e-3, power) / normalizer
            }
        }
        return (sum(perItem * g.constant(Tensor(shape: [b, tg], scalars: adaptive))), errorSum)
    }
}
