import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

/// Model files whose metadata once made `sample` allocate tens of gigabytes or run without end
/// (issue 18): the configuration is checked against ceilings and the stored weights before the
/// network is built, and automatic length stops at a ceiling of the tool's own.
final class HostileModelTests: XCTestCase {
    /// A saved tiny model's tensors and metadata.
    private func savedTinyModel(_ change: (HybridSignModel) -> Void = { _ in }) throws -> SafeTensors.File {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        change(model)
        let url = temporaryURL("hostile-base-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        return try SafeTensors.read(from: url)
    }

    /// `file` with the JSON object in metadata `key` changed by `edit`, written to a fresh file.
    private func rewritten(_ file: SafeTensors.File, tensors: [String: Tensor]? = nil,
                           _ key: String, _ edit: (inout [String: Any]) -> Void) throws -> URL {
        var metadata = file.metadata
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(metadata[key]!.utf8)) as? [String: Any])
        edit(&object)
        metadata[key] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let url = temporaryURL("hostile-\(UUID().uuidString).safetensors")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(tensors ?? file.tensors, metadata: metadata, to: url)
        return url
    }

    private func assertRefused(_ url: URL, _ fragments: String..., file: StaticString = #filePath, line: UInt = #line) {
        let start = Date()
        XCTAssertThrowsError(try HybridSignModel.load(contentsOf: url), file: file, line: line) { error in
            guard case .invalidCheckpoint(let message) = error as? HybridSignError else { return XCTFail("\(error)", file: file, line: line) }
            for fragment in fragments {
                XCTAssertTrue(message.contains(fragment), "'\(message)' lacks '\(fragment)'", file: file, line: line)
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "refused before building anything", file: file, line: line)
    }

    func testConfigurationsOverTheCeilingsAreRefusedBeforeTheNetworkIsBuilt() throws {
        let base = try savedTinyModel()
        let cases: [(String, Any, String)] = [
            ("dim", 65_536, "dim is 65536, over the ceiling of \(ModelConfig.Ceilings.dim)"),
            ("depth", 1_000_000, "depth is 1000000, over the ceiling of \(ModelConfig.Ceilings.depth)"),
            ("mlp", 1_000_000_000, "mlp is 1000000000, over the ceiling"),
            ("textLayers", 1_000_000, "textLayers is 1000000, over the ceiling"),
            ("sentenceWidth", 1_000_000_000_000, "sentenceWidth is 1000000000000, over the ceiling"),
            ("maxFrames", 1_000_000_000, "maxFrames is 1000000000, over the ceiling"),
        ]
        for (key, value, expected) in cases {
            // With the tensors and without: the ceilings come first either way.
            for tensors in [base.tensors, [:]] {
                let url = try rewritten(base, tensors: tensors, "config") { $0[key] = value }
                assertRefused(url, "metadata 'config'", expected)
            }
        }
    }

    func testTrainingOptionsOverTheCeilingsAreRefused() throws {
        // What `train --resume` reads back: a saved run's options and step.
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        let saved = temporaryURL("hostile-run-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: saved) }
        try Checkpoint.save(model: model, step: 3, training: TrainingOptions(), to: saved)
        let base = try SafeTensors.read(from: saved)
        let ceilings = TrainingOptions.Ceilings.self
        let cases: [(String, Any, String)] = [
            ("steps", 1_000_000_000_000_000, "steps is 1000000000000000; it must be 1…\(ceilings.steps)"),
            ("steps", 0, "steps is 0; it must be 1…"),
            ("batchSize", 1_000_000_000_000, "batchSize is 1000000000000; it must be 1…\(ceilings.batchSize)"),
            ("warmupSteps", -5, "warmupSteps is -5; it must be 0…"),
            ("learningRate", 1e30, "learningRate is 1e+30; it must be above 0.0 and at most 1.0"),
            ("weightDecay", 5, "weightDecay is 5.0; it must be 0.0…1.0"),
            ("clipNorm", -1, "clipNorm is -1.0; it must be above 0.0 and at most"),
            ("emaDecay", 1.5, "emaDecay is 1.5; it must be 0.0…1.0"),
        ]
        for (key, value, expected) in cases {
            let url = try rewritten(base, "training") { $0[key] = value }
            assertRefused(url, "metadata 'training'", expected)
        }
        var metadata = base.metadata
        metadata["step"] = "1000000000000"
        let farStep = temporaryURL("hostile-step-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: farStep) }
        try SafeTensors.write(base.tensors, metadata: metadata, to: farStep)
        assertRefused(farStep, "metadata 'step' is 1000000000000, over the ceiling of \(ceilings.steps) steps")
        // The saved run itself loads, and a trainer refuses the same options given directly.
        XCTAssertNoThrow(try HybridSignModel.load(contentsOf: saved))
        var options = TrainingOptions()
        options.batchSize = ceilings.batchSize + 1
        XCTAssertThrowsError(try Trainer(model: model, dataset: syntheticDataset(), options: options)) { error in
            XCTAssertTrue("\(error)".contains("batchSize is \(ceilings.batchSize + 1); it must be 1…\(ceilings.batchSize)"), "\(error)")
        }
    }

    func testAConfigurationLargerThanItsStoredWeightsIsRefused() throws {
        let base = try savedTinyModel()
        // Within every ceiling, but a network of ~4.3e9 weights for a file that stores a few thousand.
        let big = try rewritten(base, "config") { $0["dim"] = 4096; $0["heads"] = 16; $0["depth"] = 32 }
        assertRefused(big, "describes a network of at least", "but the file stores")
        let empty = try rewritten(base, tensors: [:], "config") { $0["dim"] = 512 }
        assertRefused(empty, "but the file stores 0 under 'model.'")
        // The unchanged file still loads: the bound is below every real network's size.
        let same = try rewritten(base, "config") { _ in }
        XCTAssertNoThrow(try HybridSignModel.load(contentsOf: same))
    }

    func testOverlappingTensorsAreRefused() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        var bytes = [UInt8](repeating: 0, count: 8)
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        bytes += headerBytes + [UInt8](repeating: 0, count: 12)
        XCTAssertThrowsError(try SafeTensors.decode(Data(bytes), path: "overlap.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("entries 'a' [0, 8] and 'b' [4, 12] overlap"), "\(error)")
        }
        // Touching is not overlapping.
        let touching = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        var good = [UInt8](repeating: 0, count: 8)
        var goodHeader = Array(touching.utf8)
        while goodHeader.count % 8 != 0 { goodHeader.append(0x20) }
        withUnsafeBytes(of: UInt64(goodHeader.count).littleEndian) { good.replaceSubrange(0..<8, with: $0) }
        good += goodHeader + [UInt8](repeating: 0, count: 12)
        XCTAssertEqual(try SafeTensors.decode(Data(good)).tensors.count, 2)
    }

    func testAProgressHeadThatNeverEndsStopsAtTheToolsCeiling() throws {
        let base = try savedTinyModel { model in
            // Progress is a linear head: a bias of −100 never reaches the end of the sequence.
            for (name, parameter) in model.network.namedParameters() where name == "progress_head.bias" {
                parameter.assign(Tensor(repeating: -100, shape: parameter.value.shape))
            }
        }
        // The file asks for a billion frames: refused at load (see the ceilings test). At the
        // ceiling of maxFrames, with a length model predicting 1e12 frames, the tool's own
        // automatic ceiling ends the sequence.
        let withConfig = try rewritten(base, "config") { $0["maxFrames"] = ModelConfig.Ceilings.maxFrames }
        let url = try rewritten(try SafeTensors.read(from: withConfig), "length_model") { $0["intercept"] = 1e12; $0["slope"] = 0 }
        let model = try HybridSignModel.load(contentsOf: url)
        XCTAssertEqual(model.config.maxFrames, ModelConfig.Ceilings.maxFrames)
        let sampler = Sampler(model: model)
        XCTAssertEqual(sampler.automaticCeiling, Sampler.maximumAutomaticFrames)
        var last: GeneratedFrame?
        let sequence = try sampler.sample(text: "ab", options: SamplingOptions(steps: 1, seed: 3)) { last = $0 }
        XCTAssertEqual(sequence.frameCount, Sampler.maximumAutomaticFrames)
        let lastFrame = try XCTUnwrap(last)
        XCTAssertFalse(Sampler.endedByProgress(lastFrame), "progress \(lastFrame.progress)")
    }
}
