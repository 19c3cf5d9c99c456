import Foundation
import Tensors

/// The training objectives: `hybrid` (AR heads + per-frame MeanFlow refinement), `ar`, `diffusion`.
///
/// The loss of a batch, each term divided by the whole batch's normaliser (``LossNormalizers``):
///
///     L = λ_ar·L_ar + λ_c·L_conf + λ_p·L_prog + λ_flow·L_flow     (hybrid)
///     L = λ_ar·L_ar + λ_c·L_conf + λ_p·L_prog                     (ar)
///     L = L_flow                                                  (diffusion)
///
/// - L_ar = Σ c·‖μ_q − x_q‖² / Σ 2c: the clean stream's estimate of each frame, weighted by the
///   data's confidences (``headLosses(clean:batch:normalizers:graph:)``);
/// - L_conf = Σ (ĉ_q − c_q)² over the real joint slots; L_prog = Σ (progress_q − q/(T−1))² over
///   the real frames;
/// - L_flow = Σ_items sg(1/(err + 1e−3)^p)·err / (flow items), the adaptively weighted MeanFlow
///   error: z = (1 − t)·x + t·s, v = s − x, target v − (t − r)·du/dt, err the confidence-weighted
///   squared error of u against it (``flowGroupLoss(_:model:batch:text:history:normalizer:graph:source:ownConfidence:)``).
///   The source is s = sg(μ) + σ·ε for the hybrid (its frames chosen per sequence,
///   ``flowFrames(length:_:rng:)``) and s = ε for `diffusion` (whole sequences).
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
                                      features: config.text == .sentence ? batch.features : nil, signers: batch.signerIDs, graph: g)
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
}
