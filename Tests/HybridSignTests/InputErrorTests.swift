import Foundation
import PoseData
import Tensors
import XCTest
@testable import HybridSign

final class InputErrorTests: XCTestCase {
    func testUnknownCharacterFallsBackToOtherCase() throws {
        let vocabulary = TextVocabulary(unit: .characters, fitting: ["xylo", "fon"])
        XCTAssertEqual(try vocabulary.encode("Xylofon"), try vocabulary.encode("xylofon"))
        XCTAssertThrowsError(try vocabulary.encode("Baum")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("'B'") && message.contains("'a'"), message)
            XCTAssertTrue(message.contains("supports: FLNOXYflnoxy"), message)
        }
        XCTAssertThrowsError(try vocabulary.encode(""))
    }

    func testSamplingUnknownTextIsAClearError() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        XCTAssertNoThrow(try Sampler(model: model).sample(text: "ABC", options: SamplingOptions(frames: .fixed(2))))
        XCTAssertThrowsError(try Sampler(model: model).sample(text: "abz")) { error in
            // The list includes what the case fallback accepts (A, B, C), as encode reads them.
            XCTAssertEqual(error as? HybridSignError, .unsupportedText("the model does not know the characters 'z' in 'abz'; it supports: ABCabc"))
        }
    }

    func testTheFirstUnknownUnitIsLocated() {
        let characters = TextVocabulary(unit: .characters, units: ["a", "B", "ö"])
        XCTAssertEqual(characters.acceptedUnits, ["A", "B", "a", "b", "Ö", "ö"])
        XCTAssertNil(characters.firstUnknownUnit(in: "AbÖ"))
        XCTAssertEqual(characters.firstUnknownUnit(in: "abxa").map { [$0.offset, $0.length] }, [2, 1])
        let words = TextVocabulary(unit: .words, units: ["guten", "morgen"])
        XCTAssertEqual(words.firstUnknownUnit(in: "Guten  Abend").map { [$0.offset, $0.length] }, [7, 5])
        XCTAssertNil(words.firstUnknownUnit(in: "guten MORGEN"))
    }

    func testDataForAnotherLayoutIsRejected() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        let other = try PoseDataset(layout: .generic(jointCount: 4), samples: [
            try PoseSequence(layout: .generic(jointCount: 4), fps: 25, values: [Float](repeating: 1, count: 24), text: "ab"),
        ])
        XCTAssertThrowsError(try Trainer(model: model, dataset: other, options: TrainingOptions())) { error in
            XCTAssertTrue("\(error)".contains("layout 'generic4'"), "\(error)")
        }
    }

    func testNaNAndMissingKeypointsAreRejected() throws {
        var bad = syntheticSequence(text: "ab", frames: 4)
        bad.values[7] = .nan
        XCTAssertThrowsError(try HybridSignModel(config: tinyConfig(), fitting: try PoseDataset(layout: tinyLayout, samples: [bad]), seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("NaN"), "\(error)")
        }
        let empty = try PoseSequence(layout: tinyLayout, fps: 25, values: [Float](repeating: 0, count: 4 * 18), text: "ab")
        XCTAssertThrowsError(try HybridSignModel(config: tinyConfig(), fitting: try PoseDataset(layout: tinyLayout, samples: [empty]), seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("no keypoints"), "\(error)")
        }
        XCTAssertThrowsError(try HybridSignModel(config: tinyConfig(), fitting: try PoseDataset(layout: tinyLayout, samples: []), seed: 1))
    }

    func testDamagedCheckpointsAreRejected() throws {
        let model = try HybridSignModel(config: tinyConfig(), fitting: syntheticDataset(), seed: 1)
        let url = temporaryURL("good.safetensors")
        try model.save(to: url)
        let bytes = try Data(contentsOf: url)
        let truncated = temporaryURL("truncated.safetensors")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        XCTAssertThrowsError(try HybridSignModel.load(contentsOf: truncated)) { error in
            guard case .invalidCheckpoint = error as? HybridSignError else { return XCTFail("\(error)") }
        }
        let garbage = temporaryURL("garbage.safetensors")
        try Data("not a model".utf8).write(to: garbage)
        XCTAssertThrowsError(try HybridSignModel.load(contentsOf: garbage))
        let foreign = temporaryURL("foreign.safetensors")
        try SafeTensors.write(["w": Tensor(zeros: [2])], to: foreign)
        XCTAssertThrowsError(try HybridSignModel.load(contentsOf: foreign)) { error in
            XCTAssertTrue("\(error)".contains("not a HybridSign model"), "\(error)")
        }
        XCTAssertThrowsError(try HybridSignModel.load(contentsOf: temporaryURL("missing.safetensors")))
    }

    func testPresets() throws {
        let paper = try ModelConfig.preset("paper")
        XCTAssertEqual([paper.dim, paper.heads, paper.mlp, paper.depth], [512, 4, 256, 1])
        XCTAssertEqual(paper.tokens, .joint)
        let small = try ModelConfig.preset("small")
        XCTAssertEqual(small.tokens, .part)
        XCTAssertEqual([small.flowWeight, small.flowFraction], [0.01, 0.25])
        XCTAssertTrue(small.detachHistory)
        XCTAssertEqual([paper.flowWeight, paper.flowFraction], [0.01, 0.25], "the paper size trains the same light flow")
        XCTAssertTrue(paper.detachHistory)
        XCTAssertThrowsError(try ModelConfig.preset("huge"))
        let json = try JSONEncoder().encode(paper)
        XCTAssertEqual(try JSONDecoder().decode(ModelConfig.self, from: json), paper)
    }
}
