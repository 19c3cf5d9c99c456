import PoseData
import Tensors
import XCTest
@testable import HybridSign

final class StreamingTests: XCTestCase {
    /// The sampler's cached, frame-by-frame computation equals one teacher-forced pass over the
    /// same frames: the clean stream's estimates, confidences and progress, and the noisy
    /// stream's velocity for every frame.
    func checkStreamingEqualsTeacherForcing(tokens: TokenKind) throws {
        let model = try HybridSignModel(config: tinyConfig(.hybrid, tokens: tokens), fitting: syntheticDataset(), seed: 1)
        perturb(model)
        let sampler = Sampler(model: model)
        var recorded: Sampler.Trace? = Sampler.Trace()
        let steps = 2, frames = 6
        _ = try sampler.generate(ids: try model.textIDs("abc"), features: nil, units: 3, text: "abc",
                                 options: SamplingOptions(steps: steps, seed: 3, frames: .fixed(frames)), trace: &recorded, onFrame: { _ in })
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

    func testStreamingDeliversFramesInOrderWithTimestamps() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        var seen: [GeneratedFrame] = []
        let sequence = try Sampler(model: model).sample(text: "ab", options: SamplingOptions(frames: .fixed(5))) { seen.append($0) }
        XCTAssertEqual(seen.map(\.index), [0, 1, 2, 3, 4])
        XCTAssertEqual(sequence.frameCount, 5)
        XCTAssertEqual(zip(seen, seen.dropFirst()).allSatisfy { $0.time <= $1.time }, true)
        XCTAssertEqual(Array(sequence.values[0..<18]), seen[0].values)
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
