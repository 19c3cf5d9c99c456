import Foundation
import Tensors

/// The loss of one training step and its parts (for the progress line).
public struct LossBreakdown: Sendable, Equatable {
    /// The optimised total.
    public var total: Float
    /// Flow loss as optimised (adaptively weighted) and its raw mean squared error.
    public var flow: Float
    public var flowError: Float
    /// AR estimate (confidence-weighted MSE), confidence head and progress head losses.
    public var ar: Float
    public var confidence: Float
    public var progress: Float

    /// Adds another part of the batch's losses (``Objective/loss(model:batch:rng:graph:shards:)``).
    mutating func add(_ other: LossBreakdown) {
        total += other.total
        flow += other.flow
        flowError += other.flowError
        ar += other.ar
        confidence += other.confidence
        progress += other.progress
    }
}

/// The training objectives: `hybrid` (AR heads + per-frame MeanFlow refinement), `ar`, `diffusion`.
enum Objective {
    /// Builds the loss of `batch` on a recording graph (call `backward` on the returned node).
    ///
    /// The random draws and the loss normalisers are made for the whole batch first; then the
    /// batch runs as `shards` groups of sequences, concurrently (``Graph/concurrently(_:_:)``,
    /// one core each), whose losses add up to the batch's. Every op of a step then has both
    /// cores, not only the expert stacks, and a shard's padding is that of its own sequences.
    static func loss(model: HybridSignModel, batch: ModelBatch, rng: inout RandomGenerator, graph g: Graph,
                     shards: Int = Parallel.workerCount) -> (Var, LossBreakdown) {
        let draws = StepDraws(model.config, batch: batch, rng: &rng)
        let ranges = StepDraws.shardRanges(batchSize: batch.batchSize, shards: shards)
        guard ranges.count > 1 else { return shardLoss(model: model, draws: draws, graph: g) }
        var results = [(Var, LossBreakdown)?](repeating: nil, count: ranges.count)
        results.withUnsafeMutableBufferPointer { out in
            g.concurrently(ranges.count) { s in out[s] = shardLoss(model: model, draws: draws.sequences(ranges[s]), graph: g) }
        }
        // Shard order, so the sums do not depend on timing.
        var total = results[0]!.0, parts = results[0]!.1
        for (loss, shardParts) in results.dropFirst().map({ $0! }) {
            total = total + loss
            parts.add(shardParts)
        }
        return (total, parts)
    }

    /// The loss of the sequences in `draws`, each term divided by the whole batch's normaliser.
    static func shardLoss(model: HybridSignModel, draws: StepDraws, graph g: Graph) -> (Var, LossBreakdown) {
        let network = model.network
        let config = model.config
        let batch = draws.batch
        let text = network.encodeText(ids: config.text == .sentence ? nil : batch.textIDs,
                                      features: config.text == .sentence ? batch.features : nil, graph: g)
        var total: Var?
        var parts = LossBreakdown(total: 0, flow: 0, flowError: 0, ar: 0, confidence: 0, progress: 0)
        func add(_ term: Var, _ weight: Float) { total = total.map { $0 + term * weight } ?? term * weight }

        if config.mode == .diffusion {
            let (flow, error) = diffusionLoss(model: model, draws: draws, graph: g)
            add(flow, 1)
            parts.flow = flow.value.scalar
            parts.flowError = error
        } else {
            let clean = network.cleanPass(frames: draws.input.coordinates, confidence: draws.input.confidence, firstFrame: 0,
                                          prependBOS: true, text: text, history: .none, graph: g)
            let (ar, conf, progress) = headLosses(clean: clean, batch: batch, normalizers: draws.normalizers, graph: g)
            add(ar, config.arWeight)
            add(conf, config.confidenceWeight)
            add(progress, config.progressWeight)
            parts.ar = ar.value.scalar
            parts.confidence = conf.value.scalar
            parts.progress = progress.value.scalar
            if config.mode == .hybrid {
                let (flow, error) = hybridFlowLoss(model: model, draws: draws, clean: clean, text: text, graph: g)
                if let flow {
                    add(flow, config.flowWeight)
                    parts.flow = flow.value.scalar
                }
                parts.flowError = error
            }
        }
        parts.total = total!.value.scalar
        return (total!, parts)
    }

    /// The clean stream's input, read as the sampler feeds it back: joints with confidence below
    /// ``Sampler/visibilityThreshold`` are missing (x = y = 0, confidence 0); the visible ones get
    /// N(0, std²) noise when `std` > 0. The losses keep the data's frames and confidences.
    /// (Measured: a model trained on every joint's coordinates but fed thresholded frames had a
    /// 6–9× larger teacher-forced body error, and drifted when free-running.)
    static func cleanInput(_ batch: ModelBatch, std: Float, rng: inout RandomGenerator) -> (coordinates: Tensor, confidence: Tensor) {
        let x = batch.coordinates.scalars, c = batch.confidence.scalars
        let visible = c.map { $0 >= Sampler.visibilityThreshold ? $0 : 0 }
        let coordinates = Tensor(shape: batch.coordinates.shape) { out in
            for i in 0..<x.count { out[i] = visible[i / 2] > 0 ? x[i] + (std > 0 ? std * rng.normal() : 0) : 0 }
        }
        return (coordinates, Tensor(shape: batch.confidence.shape, scalars: visible))
    }

    /// AR estimate, confidence and progress losses of the clean stream (positions 0...T).
    static func headLosses(clean: CleanOutput, batch: ModelBatch, normalizers: LossNormalizers, graph g: Graph) -> (Var, Var, Var) {
        let (b, t, j) = (batch.batchSize, batch.maxFrames, batch.coordinates.shape[2])
        // Position q < T predicts frame q.
        let mean = slice(clean.mean, axis: 1, 0..<t)
        let weight = batch.confidence.reshaped([b, t, j, 1])
        let ar = maskedMSE(mean, g.constant(batch.coordinates), mask: weight, normalizer: normalizers.ar)
        var frameMask = [Float](repeating: 0, count: b * t * j)
        var progressTarget = [Float](repeating: 0, count: b * t)
        var progressMask = [Float](repeating: 0, count: b * t)
        for (k, n) in batch.lengths.enumerated() {
            for i in 0..<n {
                for m in 0..<j { frameMask[(k * t + i) * j + m] = 1 }
                progressTarget[k * t + i] = n > 1 ? Float(i) / Float(n - 1) : 1
                progressMask[k * t + i] = 1
            }
        }
        let conf = maskedMSE(slice(clean.confidence, axis: 1, 0..<t), g.constant(batch.confidence),
                             mask: Tensor(shape: [b, t, j], scalars: frameMask), normalizer: normalizers.confidence)
        // Position q ≥ 1 holds frame q − 1.
        let progress = maskedMSE(slice(clean.progress, axis: 1, 1..<(t + 1)), g.constant(Tensor(shape: [b, t], scalars: progressTarget)),
                                 mask: Tensor(shape: [b, t], scalars: progressMask), normalizer: normalizers.progress)
        return (ar, conf, progress)
    }

    /// A logit-normal flow-time pair: t = max, r = min of two samples; r = t with probability
    /// `flowMatchingFraction` (or as `equal` says).
    static let minimumTime: Float = 0.02

    static func timePair(_ config: ModelConfig, equal: Bool? = nil, rng: inout RandomGenerator) -> (t: Float, r: Float) {
        func sample() -> Float { 1 / (1 + expf(-(config.timeMean + config.timeStd * rng.normal()))) }
        let a = sample(), b = sample()
        // u = (z − x̂)/t: keep t away from 0 so the parametrisation stays well conditioned.
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

    /// The per-frame MeanFlow loss of the hybrid: frames split into the r ≠ t group (which needs
    /// the JVP) and the r = t group (target v), each one noisy pass against the clean stream.
    static func hybridFlowLoss(model: HybridSignModel, draws: StepDraws, clean: CleanOutput,
                               text: HybridSignNetwork.TextContext, graph g: Graph) -> (Var?, Float) {
        let config = model.config
        let batch = draws.batch, sequences = draws.flow!
        let (b, t, j) = (batch.batchSize, batch.maxFrames, batch.coordinates.shape[2])
        let x = batch.coordinates.scalars, c = batch.confidence.scalars
        // Detached: μ feeds the flow as data. Position i of the clean stream (T + 1 positions,
        // the start token first) estimates frame i.
        let mu = clean.mean.value.scalars, chat = clean.confidence.value.scalars
        let positions = clean.mean.shape[1]
        // members[0]: frames with r ≠ t (JVP), members[1]: r = t; per sequence.
        let members = [sequences.map(\.jvp), sequences.map(\.equal)]
        let realFrames = draws.normalizers.flow
        let history = config.detachHistory ? clean.cache.detached() : clean.cache
        var total: Var?
        var errorSum: Float = 0
        for (groupIndex, group) in members.enumerated() {
            let tg = group.map(\.count).max() ?? 0
            guard tg > 0 else { continue }
            let needsJVP = groupIndex == 0
            var z = [Float](repeating: 0, count: b * tg * j * 2), v = z, mean = z
            var ownConf = [Float](repeating: 1, count: b * tg * j), weight = [Float](repeating: 0, count: b * tg * j)
            // Padding items get t = 1 (u divides by t) and weight 0.
            var ts = [Float](repeating: 1, count: b * tg), rs = ts
            var frames = [[Int]](repeating: [Int](repeating: -1, count: tg), count: b)
            for k in 0..<b {
                for (slot, i) in group[k].enumerated() {
                    frames[k][slot] = i
                    let (tt, rr) = sequences[k].pairs[i]
                    ts[k * tg + slot] = tt
                    rs[k * tg + slot] = rr
                    var visible: Float = 0
                    for m in 0..<j { visible += c[(k * t + i) * j + m] }
                    for m in 0..<j {
                        let src = (k * t + i) * j + m, dst = (k * tg + slot) * j + m
                        let estimate = (k * positions + i) * j + m
                        ownConf[dst] = chat[estimate]
                        weight[dst] = visible > 0 ? c[src] / (2 * visible) : 0
                        for e in 0..<2 {
                            let s = mu[estimate * 2 + e] + config.sigma * sequences[k].noise[(i * j + m) * 2 + e]
                            let xv = x[src * 2 + e]
                            z[dst * 2 + e] = (1 - tt) * xv + tt * s
                            v[dst * 2 + e] = s - xv
                            mean[dst * 2 + e] = mu[estimate * 2 + e]
                        }
                    }
                }
            }
            let shape = [b, tg, j, 2]
            let velocity = Tensor(shape: shape, scalars: v)
            let zVar = g.input(Tensor(shape: shape, scalars: z), tangent: needsJVP ? velocity : nil)
            let tVar = g.input(Tensor(shape: [b, tg], scalars: ts), tangent: needsJVP ? Tensor(repeating: 1, shape: [b, tg]) : nil)
            let rVar = g.input(Tensor(shape: [b, tg], scalars: rs))
            let u = model.network.noisyPass(z: zVar, mean: Tensor(shape: shape, scalars: mean),
                                            ownConfidence: Tensor(shape: [b, tg, j], scalars: ownConf), frames: frames,
                                            t: tVar, r: rVar, text: text, history: .graph(history), graph: g)
            // MeanFlow target v − (t − r)·du/dt, a constant (tangents are never differentiated).
            var target = velocity
            if needsJVP, let dudt = u.tangent {
                target = Tensor(shape: shape) { out in
                    for i in 0..<(b * tg * j * 2) { out[i] = v[i] - (ts[i / (j * 2)] - rs[i / (j * 2)]) * dudt.scalars[i] }
                }
            }
            let (loss, error) = weightedFlowLoss(u: u, target: target, weight: Tensor(shape: [b, tg, j, 1], scalars: weight),
                                                 frames: frames, power: config.adaptivePower, normalizer: realFrames, graph: g)
            total = total.map { $0 + loss } ?? loss
            errorSum += error
        }
        return (total, errorSum / max(realFrames, 1))
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

    /// The `diffusion` baseline: non-causal MeanFlow over whole sequences, one (t, r) per
    /// sequence, source ε; sequences with r ≠ t run as one group with the JVP.
    static func diffusionLoss(model: HybridSignModel, draws: StepDraws, graph g: Graph) -> (Var, Float) {
        let config = model.config
        let batch = draws.batch, sequences = draws.diffusion!
        let (b, t, j) = (batch.batchSize, batch.maxFrames, batch.coordinates.shape[2])
        let x = batch.coordinates.scalars, c = batch.confidence.scalars
        let pairs = sequences.map(\.pair)
        let realFrames = draws.normalizers.flow
        var total: Var?
        var errorSum: Float = 0
        for needsJVP in [true, false] {
            let members = (0..<b).filter { (pairs[$0].0 != pairs[$0].1) == needsJVP }
            guard !members.isEmpty else { continue }
            let bg = members.count
            var z = [Float](repeating: 0, count: bg * t * j * 2), v = z
            var weight = [Float](repeating: 0, count: bg * t * j)
            var ts = [Float](repeating: 0, count: bg * t), rs = ts
            var frames = [[Int]](repeating: [Int](repeating: -1, count: t), count: bg)
            for (slot, k) in members.enumerated() {
                let (tt, rr) = pairs[k]
                for i in 0..<t {
                    ts[slot * t + i] = tt
                    rs[slot * t + i] = rr
                    guard i < batch.lengths[k] else { continue }
                    frames[slot][i] = i
                    var visible: Float = 0
                    for m in 0..<j { visible += c[(k * t + i) * j + m] }
                    for m in 0..<j {
                        let src = (k * t + i) * j + m, dst = (slot * t + i) * j + m
                        weight[dst] = visible > 0 ? c[src] / (2 * visible) : 0
                        for e in 0..<2 {
                            let s = sequences[k].noise[(i * j + m) * 2 + e], xv = x[src * 2 + e]
                            z[dst * 2 + e] = (1 - tt) * xv + tt * s
                            v[dst * 2 + e] = s - xv
                        }
                    }
                }
            }
            let shape = [bg, t, j, 2]
            let velocity = Tensor(shape: shape, scalars: v)
            let text = model.network.encodeText(ids: config.text == .sentence ? nil : members.map { batch.textIDs[$0] },
                                                features: config.text == .sentence ? batch.features.map { f in members.map { f[$0] } } : nil,
                                                graph: g)
            let zVar = g.input(Tensor(shape: shape, scalars: z), tangent: needsJVP ? velocity : nil)
            let tVar = g.input(Tensor(shape: [bg, t], scalars: ts), tangent: needsJVP ? Tensor(repeating: 1, shape: [bg, t]) : nil)
            let rVar = g.input(Tensor(shape: [bg, t], scalars: rs))
            let u = model.network.noisyPass(z: zVar, mean: Tensor(zeros: shape), ownConfidence: Tensor(repeating: 1, shape: [bg, t, j]),
                                            frames: frames, t: tVar, r: rVar, text: text, history: .none, graph: g)
            var target = velocity
            if needsJVP, let dudt = u.tangent {
                target = Tensor(shape: shape) { out in
                    for i in 0..<(bg * t * j * 2) { out[i] = v[i] - (ts[i / (j * 2)] - rs[i / (j * 2)]) * dudt.scalars[i] }
                }
            }
            let (loss, error) = weightedFlowLoss(u: u, target: target, weight: Tensor(shape: [bg, t, j, 1], scalars: weight),
                                                 frames: frames, power: config.adaptivePower, normalizer: realFrames, graph: g)
            total = total.map { $0 + loss } ?? loss
            errorSum += error
        }
        return (total!, errorSum / max(realFrames, 1))
    }
}
