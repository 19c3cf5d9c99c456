import Foundation
import PoseData
import Tensors

/// One sequence running in a batch: its item, its request, its own noise stream and frame limit,
/// and the frames made so far (data space, `J × 3` per frame).
struct BatchLane {
    let index: Int
    let request: Sampler.Request
    let signer: Int
    var rng: RandomGenerator
    let limit: Int
    var values: [Float] = []
}

extension Sampler {
    /// Runs `lanes` in step, frame by frame, as ``generateFrames`` runs one sequence: the same
    /// passes with a batch axis. A lane that ends (progress or limit) is handed to `finished` and
    /// leaves the batch: the cache, the estimates and the text context then keep the other rows.
    /// Stopped, the unfinished lanes are dropped.
    func generateBatch(_ start: [BatchLane], options: SamplingOptions, shouldStop: () -> Bool,
                       onFrame: (Int, GeneratedFrame) -> Void, finished: (Int, PoseSequence) -> Void) throws(HybridSignError) {
        let j = model.partOrder.count
        let began = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9 }
        var lanes: [BatchLane] = []
        for lane in start {
            if lane.limit <= 0 { try finished(lane.index, sequence(lane)) } else { lanes.append(lane) }
        }
        guard !lanes.isEmpty else { return }
        let graph = Graph(recording: false)
        graph.checksFinite = false
        let network = model.network
        var text = encode(lanes, graph: graph)
        let conditioning = ConditioningCache(network: network, graph: graph)
        var clean = network.cleanPass(frames: nil, confidence: nil, firstFrame: 0, prependBOS: true, text: text,
                                      history: .none, conditioning: conditioning, graph: graph)
        var cache = StreamingCache()
        cache.append(clean.produced)
        var mean = clean.mean.value
        var predicted = clean.confidence.value
        var i = 0
        while !lanes.isEmpty {
            if shouldStop() { return }
            let b = lanes.count
            let x = refineBatch(mean.reshaped([b, 1, j, 2]), confidence: predicted.reshaped([b, 1, j]), frame: i, lanes: &lanes,
                                options: options, text: text, cache: cache, conditioning: conditioning, graph: graph)
            var fedCoordinates: [Float] = [], fedConfidence: [Float] = [], frames: [[Float]] = []
            for k in 0..<b {
                let coordinates = Array(x.scalars[(k * j * 2)..<((k + 1) * j * 2)])
                let confidence = Array(predicted.scalars[(k * j)..<((k + 1) * j)])
                guard coordinates.allSatisfy(\.isFinite) else {
                    throw HybridSignError.diverged("sampling produced NaN or infinity at frame \(i) of \(lanes[k].request.text.map { "\"\($0)\"" } ?? "a sequence"); the model weights are broken")
                }
                let frame = model.dataSpace(coordinates: coordinates, confidence: confidence)
                let fed = Self.fedBack(coordinates, confidence: confidence)
                lanes[k].values += frame
                frames.append(frame)
                fedCoordinates += fed.coordinates
                fedConfidence += fed.confidence
            }
            let frameTime = elapsed()
            clean = network.cleanPass(frames: Tensor(shape: [b, 1, j, 2], scalars: fedCoordinates),
                                      confidence: Tensor(shape: [b, 1, j], scalars: fedConfidence), firstFrame: i, prependBOS: false,
                                      text: text, history: .streaming(cache), conditioning: conditioning, graph: graph)
            cache.append(clean.produced)
            mean = clean.mean.value
            predicted = clean.confidence.value
            let progress = clean.progress.value.scalars
            var kept: [Int] = []
            for k in 0..<b {
                onFrame(lanes[k].index, GeneratedFrame(index: i, values: frames[k], progress: progress[k], time: frameTime))
                var ended = i + 1 >= lanes[k].limit
                if case .auto = options.frames, Self.isFinished(progress: progress[k], afterFrame: i) { ended = true }
                if ended { try finished(lanes[k].index, sequence(lanes[k])) } else { kept.append(k) }
            }
            if kept.count < b {
                lanes = kept.map { lanes[$0] }
                guard !lanes.isEmpty else { break }
                cache = cache.keeping(sequences: kept, of: b)
                mean = Self.rows(mean, kept, of: b)
                predicted = Self.rows(predicted, kept, of: b)
                text = encode(lanes, graph: graph)
            }
            i += 1
        }
    }

    /// The noise of every lane (each from its own generator, as one sequence draws it), then the
    /// flow steps on the whole batch; `ar` and `steps: 0` keep the estimate.
    private func refineBatch(_ mean: Tensor, confidence: Tensor, frame i: Int, lanes: inout [BatchLane], options: SamplingOptions,
                             text: HybridSignNetwork.TextContext, cache: StreamingCache, conditioning: ConditioningCache, graph: Graph) -> Tensor {
        guard model.config.mode == .hybrid && options.steps > 0 else { return mean }
        let b = lanes.count
        let one = [1, 1, mean.shape[2], 2]
        var noise: [Float] = []
        noise.reserveCapacity(mean.count)
        for k in lanes.indices { noise += lanes[k].rng.normal(one).scalars }
        var z = model.config.flowStart(mean: mean, noise: Tensor(shape: mean.shape, scalars: noise) * (options.temperature * model.config.sigma))
        let indices = [[Int]](repeating: [i], count: b)
        for k in 0..<options.steps {
            let (t, r) = Self.flowTimes(step: k, of: options.steps)
            let u = model.network.noisyPass(z: graph.constant(z), mean: mean, ownConfidence: confidence, frames: indices,
                                            t: graph.constant(Tensor(repeating: t, shape: [b, 1])),
                                            r: graph.constant(Tensor(repeating: r, shape: [b, 1])),
                                            text: text, history: .streaming(cache), conditioning: conditioning, graph: graph)
            z = z - u.value * (t - r)
        }
        return z
    }

    /// The lanes' texts (and signers) encoded as one batch.
    private func encode(_ lanes: [BatchLane], graph: Graph) -> HybridSignNetwork.TextContext {
        let requests = lanes.map(\.request)
        let ids = requests.allSatisfy { $0.ids != nil } ? requests.map { $0.ids! } : nil
        let features = ids == nil ? requests.compactMap(\.features) : nil
        return model.network.encodeText(ids: ids, features: features, signers: lanes.map(\.signer), graph: graph)
    }

    /// The finished sequence of a lane.
    private func sequence(_ lane: BatchLane) throws(HybridSignError) -> PoseSequence {
        do {
            return try PoseSequence(layout: model.config.layout, fps: model.fps, values: lane.values, text: lane.request.text)
        } catch {
            throw HybridSignError.invalidData("generated sequence: \(error)")
        }
    }

    /// The rows `kept` of a tensor whose first axis is the batch of `b`.
    static func rows(_ x: Tensor, _ kept: [Int], of b: Int) -> Tensor {
        let width = x.count / b
        var shape = x.shape
        shape[0] = kept.count
        let source = x.scalars
        return Tensor(shape: shape, scalars: kept.flatMap { source[($0 * width)..<(($0 + 1) * width)] })
    }
}
