import PoseData
import Tensors
import XCTest
@testable import HybridSign

final class StreamingTests: XCTestCase {
    /// The sampler's cached, frame-by-frame computation equals one teacher-forced pass over the
    /// same frames: the clean stream's estimates, confidences and progress, and the noisy
    /// stream's velocity for every frame.
    func checkStreamingEqualsTeacherForcing(tokens: TokenKind, concurrentPartWork: Int? = nil,
                                            flowBackbone: FlowBackbone = .shared) throws {
        var config = tinyConfig(.hybrid, tokens: tokens)
        config.flowBackbone = flowBackbone
        let model = try HybridSignModel(config: config, fitting: syntheticDataset(), seed: 1)
        perturb(model)
        if let concurrentPartWork { model.network.concurrentPartWork = concurrentPartWork }
        let sampler = Sampler(model: model)
        var recorded: Sampler.Trace? = Sampler.Trace()
        let steps = 2, frames = 6
        _ = try sampler.generate(Sampler.Request(ids: try model.textIDs("abc"), features: nil, units: 3, text: "abc"),
                                 options: SamplingOptions(steps: steps, seed: 3, frames: .fixed(frames)), trace: &recorded,
                                 shouldStop: { false }, onFrame: { _ in })
        let trace = recorded!
        XCTAssertEqual(trace.frames.count, frames)
        let j = model.partOrder.count
        let g = Graph(recording: false)
        let network = model.network
        let text = network.encodeText(ids: [try model.textIDs("abc")], graph: g)
        let clean = network.cleanPass(frames: Tensor(shape: [1, frames, j, 2], scalars: trace.frames.flatMap { $0 }),
                                      confidence: Tensor(shape: [1, frames, j], scalars: trace.confidences.flatMap { $0 }),
                                      firstFrame: 0, prependBOS: true, text: text, history: .none, graph: g)
        assertClose(clean.mean.value.slice(axis: 1, 0..<frames).scalars, trace.means.flatMap { $0 }, tolerance: 1e-4, "AR estimates")
        assertClose(clean.confidence.value.slice(axis: 1, 0..<frames).scalars, trace.predictedConfidences.flatMap { $0 },
                    tolerance: 1e-4, "confidences")
        assertClose(clean.progress.value.slice(axis: 1, 1..<(frames + 1)).scalars, trace.progress, tolerance: 1e-4, "progress")
        // Every frame's first flow step at once, against the whole clean stream as memory.
        let u = network.noisyPass(z: g.constant(Tensor(shape: [1, frames, j, 2], scalars: trace.firstZ.flatMap { $0 })),
                                  mean: Tensor(shape: [1, frames, j, 2], scalars: trace.means.flatMap { $0 }),
                                  ownConfidence: Tensor(shape: [1, frames, j], scalars: trace.predictedConfidences.flatMap { $0 }),
                                  frames: [Array(0..<frames)], t: g.constant(Tensor(repeating: 1, shape: [1, frames])),
                                  r: g.constant(Tensor(repeating: 1 - 1 / Float(steps), shape: [1, frames])),
                                  text: text, history: .graph(clean.cache), graph: g)
        XCTAssertGreaterThan(u.value.maxAbs(), 1e-3, "the perturbed model must produce a non-trivial velocity")
        assertClose(u.value.scalars, trace.firstU.flatMap { $0 }, tolerance: 1e-4, "velocities")
    }

    func testStreamingEqualsTeacherForcingWithPartTokens() throws {
        try checkStreamingEqualsTeacherForcing(tokens: .part)
    }

    func testStreamingEqualsTeacherForcingWithJointTokens() throws {
        try checkStreamingEqualsTeacherForcing(tokens: .joint)
    }

    /// The same with the parts of each streaming pass running concurrently (as the `paper` preset does).
    func testStreamingEqualsTeacherForcingWithConcurrentParts() throws {
        try checkStreamingEqualsTeacherForcing(tokens: .joint, concurrentPartWork: 0)
    }

    /// The same with the flow on its own expert stacks and fusion, reading the clean stream's cache.
    func testStreamingEqualsTeacherForcingWithASeparateFlowBackbone() throws {
        try checkStreamingEqualsTeacherForcing(tokens: .joint, flowBackbone: .separate)
    }

    /// A stop request ends sampling before the next frame; the frames made so far are the same
    /// as the first frames of an uninterrupted run.
    func testStoppingKeepsTheFramesMadeSoFar() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        perturb(model)
        let options = SamplingOptions(steps: 2, seed: 4, frames: .fixed(50))
        var made = 0
        let stopped = try Sampler(model: model).sample(text: "ab", options: options, onFrame: { _ in made += 1 },
                                                        shouldStop: { made >= 3 })
        let whole = try Sampler(model: model).sample(text: "ab", options: options)
        XCTAssertEqual(stopped.frameCount, 3)
        XCTAssertEqual(stopped.values, Array(whole.values.prefix(stopped.values.count)))
        let diffusion = try HybridSignModel(config: tinyConfig(.diffusion), fitting: syntheticDataset(), seed: 1)
        XCTAssertEqual(try Sampler(model: diffusion).sample(text: "ab", options: options, shouldStop: { true }).frameCount, 0)
    }

    func testStreamingDeliversFramesInOrderWithTimestamps() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        var seen: [GeneratedFrame] = []
        let sequence = try Sampler(model: model).sample(text: "ab", options: SamplingOptions(frames: .fixed(5))) { seen.append($0) }
        XCTAssertEqual(seen.map(\.index), [0, 1, 2, 3, 4])
        XCTAssertEqual(sequence.frameCount, 5)
        XCTAssertEqual(zip(seen, seen.dropFirst()).allSatisfy { $0.time <= $1.time }, true)
        XCTAssertEqual(Array(sequence.values[0..<18]), seen[0].values)
    }

    /// With `onProfile` set, each call hands over one report of its ops, the linear layers with
    /// their rate; profiling does not change the frames.
    func testAProfiledCallReportsItsOps() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        perturb(model)
        let options = SamplingOptions(steps: 1, frames: .fixed(4))
        var sampler = Sampler(model: model)
        let plain = try sampler.sample(text: "ab", options: options)
        var reports: [String] = []
        sampler.onProfile = { reports.append($0) }
        let profiled = try sampler.sample(text: "ab", options: options)
        XCTAssertEqual(profiled.values, plain.values)
        XCTAssertEqual(reports.count, 1)
        let lines = try XCTUnwrap(reports.first).split(separator: "\n")
        XCTAssertTrue(try XCTUnwrap(lines.first { $0.hasPrefix("linear ") }).hasSuffix("GFLOP/s"), reports[0])
        XCTAssertTrue(lines.contains { $0.hasPrefix("kvCacheAttention ") }, reports[0])
    }

    func testAsyncStreamYieldsEveryFrame() async throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        var count = 0
        for try await frame in Sampler(model: model).stream(text: "ab", options: SamplingOptions(frames: .fixed(4))) {
            XCTAssertEqual(frame.index, count)
            count += 1
        }
        XCTAssertEqual(count, 4)
    }

    func testEveryModeSamples() throws {
        for mode in ModelMode.allCases {
            let model = try HybridSignModel(config: tinyConfig(mode), fitting: syntheticDataset(), seed: 2)
            perturb(model, scale: 0.05)
            let sequence = try Sampler(model: model).sample(text: "abc", options: SamplingOptions(steps: 2, frames: .auto))
            XCTAssertGreaterThanOrEqual(sequence.frameCount, 1, "\(mode)")
            XCTAssertNil(sequence.firstNonFinite(), "\(mode)")
            XCTAssertEqual(sequence.layout, tinyLayout)
        }
    }
}

/// The streaming passes' concurrent per-part path (two groups of parts on two threads) computes
/// exactly what the parts computed in turn compute.
final class ConcurrentPartsTests: XCTestCase {
    func testConcurrentPartsMatchSerialPartsAndTeacherForcing() throws {
        try XCTSkipIf(Parallel.workerCount < 2, "needs two cores for the concurrent path")
        let model = try HybridSignModel(config: tinyConfig(.hybrid, tokens: .joint), fitting: syntheticDataset(), seed: 1)
        perturb(model)
        let network = model.network
        let g = Graph(recording: false)
        g.checksFinite = false
        let tokens = network.partRanges.map { g.constant(Tensor(zeros: [1, 1, $0.count, model.config.dim])) }
        XCTAssertNil(network.concurrentGroups(tokens), "tiny models stay serial by default")
        network.concurrentPartWork = 0
        defer { network.concurrentPartWork = HybridSignNetwork.defaultConcurrentPartWork }
        let groups = try XCTUnwrap(network.concurrentGroups(tokens))
        XCTAssertEqual(groups.flatMap { $0 }.sorted(), Array(network.partRanges.indices))

        let options = SamplingOptions(steps: 2, seed: 5, frames: .fixed(6))
        let concurrent = try Sampler(model: model).sample(text: "abc", options: options)
        network.concurrentPartWork = .max
        let serial = try Sampler(model: model).sample(text: "abc", options: options)
        assertClose(concurrent.values, serial.values, tolerance: 1e-6, "concurrent vs serial parts")
    }

    /// A training step with the parts on two threads (recorded and differentiated on branches)
    /// gives the weights of the same step with the parts in turn, up to summation order.
    func testConcurrentPartsTrainLikeSerialParts() throws {
        try XCTSkipIf(Parallel.workerCount < 2, "needs two cores for the concurrent path")
        func weightsAfterTwoSteps(concurrentWork: Int) throws -> [String: Tensor] {
            var options = TrainingOptions()
            options.steps = 2
            options.batchSize = 2
            options.learningRate = 3e-3
            options.warmupSteps = 1
            let trainer = try Trainer(config: tinyConfig(.hybrid, tokens: .joint), dataset: syntheticDataset(), options: options)
            trainer.model.network.concurrentPartWork = concurrentWork
            trainer.shards = 1   // parts run concurrently only when the batch is not split into shards
            try trainer.run()
            return trainer.model.network.stateDict()
        }
        let concurrent = try weightsAfterTwoSteps(concurrentWork: 0)
        let serial = try weightsAfterTwoSteps(concurrentWork: .max)
        XCTAssertEqual(Set(concurrent.keys), Set(serial.keys))
        for (name, value) in serial {
            assertClose(concurrent[name]!.scalars, value.scalars, tolerance: 1e-5, name)
        }
    }
}
