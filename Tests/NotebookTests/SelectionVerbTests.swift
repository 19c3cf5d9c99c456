import Foundation
import PoseData
import XCTest
@testable import Notebook

/// `find`, `filter`, `split`, `resample`, `crop`.
final class SelectionVerbTests: XCTestCase {
    private var variables: [String: Value] = [:]

    override func setUpWithError() throws {
        variables = try DataFixtures.variables()
    }

    private func texts(_ text: String) throws -> [String] {
        guard case .dataset(let dataset) = try value(of: text, variables: variables) else { throw NotebookTestError("\(text) is not a dataset") }
        return dataset.samples.compactMap(\.text)
    }

    func testFindByTextNameAndCase() throws {
        XCTAssertEqual(try value(of: "(find d \"Ohr\").name", variables: variables).string, "gsg-ohr-0")
        XCTAssertEqual(try value(of: "(find d \"gsg-mai-0\").text", variables: variables).string, "Mai")
        XCTAssertEqual(try value(of: "(find d \"uhr\").text", variables: variables).string, "Uhr")
        let error = try XCTUnwrap(failureLocation("find d \"Uhrr\"", variables: variables))
        XCTAssertEqual(error.message, "no sample of the dataset (3 samples) has the name or text \"Uhrr\" — did you mean 'Uhr'?")
        XCTAssertEqual(error.at, "1:8")
    }

    func testFilterByTextSignerNameAndLength() throws {
        XCTAssertEqual(try texts("filter d text: \"Uhr\""), ["Uhr"])
        XCTAssertEqual(try texts("filter d text: [\"Ohr\", \"Mai\", \"Baum\"]"), ["Mai", "Ohr"], "original order")
        XCTAssertEqual(try texts("filter d signer: \"gsg\""), ["Mai", "Uhr", "Ohr"])
        XCTAssertEqual(try texts("filter d signer: \"ase\""), [])
        XCTAssertEqual(try texts("filter d name: \"gsg-uhr-0\" signer: \"gsg\""), ["Uhr"])
        XCTAssertEqual(try texts("filter d max_frames: 11"), [])
        XCTAssertEqual(try texts("filter d min_frames: 12 max_frames: 12"), ["Mai", "Uhr", "Ohr"])
        let none = try XCTUnwrap(failureLocation("filter d", variables: variables))
        XCTAssertEqual(none.message, "filter needs at least one criterion")
        let wrong = try XCTUnwrap(failureLocation("filter d text: [\"Uhr\", 3]", variables: variables))
        XCTAssertEqual(wrong.message, "filter's 'text' must hold strings; element 1 is a number")
        XCTAssertEqual(wrong.at, "1:16")
        let misspelt = try XCTUnwrap(failureLocation("filter d txt: \"Uhr\"", variables: variables))
        XCTAssertEqual(misspelt.message, "unknown named argument 'txt:' for filter — did you mean 'text'?")
    }

    func testSplitIsSeededAndCoversEverySample() throws {
        let parts = try value(of: "split d fractions: [0.67, 0.33] seed: 3", variables: variables).list ?? []
        XCTAssertEqual(parts.count, 2)
        var seen: [String] = []
        for part in parts {
            guard case .dataset(let dataset) = part else { return XCTFail("a part is not a dataset") }
            seen += dataset.samples.compactMap(\.text)
        }
        XCTAssertEqual(seen.sorted(), ["Mai", "Ohr", "Uhr"])
        XCTAssertEqual(try value(of: "(split d fractions: [0.67, 0.33] seed: 3)[0].count", variables: variables).number, 2)
        let again = try value(of: "(split d fractions: [0.67, 0.33] seed: 3)[0].texts", variables: variables)
        XCTAssertEqual(again.inlineText, try value(of: "parts[0].texts", variables: ["parts": .list(parts)]).inlineText)
        let error = try XCTUnwrap(failureLocation("split d fractions: [0.5, 0.4]", variables: variables))
        XCTAssertTrue(error.message.contains("must sum to 1"), error.message)
        XCTAssertEqual(error.at, "1:20")
        XCTAssertEqual(failureLocation("split d", variables: variables)?.message, "split needs 'fractions: LIST' (the parts' shares, positive and summing to 1, for example [0.8, 0.2])")
    }

    func testResampleChangesTheFrameRate() throws {
        // 12 frames at 6.25 fps span 11 / 6.25 s; at 12.5 fps that is ⌊11 · 2⌋ + 1 = 23 frames.
        XCTAssertEqual(try value(of: "(resample s fps: 12.5).frames", variables: variables).number, 23)
        XCTAssertEqual(try value(of: "(resample d fps: 12.5).lengths", variables: variables).list?.compactMap(\.number), [23, 23, 23])
        guard case .sample(let doubled) = try value(of: "resample s fps: 12.5", variables: variables),
              case .sample(let original) = variables["s"] else { return XCTFail("expected samples") }
        XCTAssertEqual(Array(doubled.values[(2 * 137 * 3)..<(3 * 137 * 3)]), Array(original.values[(137 * 3)..<(2 * 137 * 3)]),
                       "frame 2 at 12.5 fps is frame 1 at 6.25 fps")
        let error = try XCTUnwrap(failureLocation("resample s fps: 0", variables: variables))
        XCTAssertEqual(error.message, "resample's 'fps' must be a positive number, got 0")
        XCTAssertEqual(error.at, "1:17")
        let missing = try XCTUnwrap(failureLocation("let t = resample s", variables: variables))
        XCTAssertEqual(missing.message, "resample needs 'fps: NUMBER' (the new frames per second)")
        XCTAssertEqual(missing.at, "1:9")
        XCTAssertEqual(missing.hint, "usage: resample SAMPLE|DATASET fps: NUMBER")
    }

    func testCropKeepsAFrameRange() throws {
        guard case .sample(let original) = variables["s"],
              case .sample(let cropped) = try value(of: "crop s 2 5", variables: variables) else { return XCTFail("expected samples") }
        XCTAssertEqual(cropped.frameCount, 3)
        XCTAssertEqual(cropped.values, Array(original.values[(2 * 137 * 3)..<(5 * 137 * 3)]))
        XCTAssertEqual(cropped.text, "Uhr")
        XCTAssertEqual(try value(of: "(crop s -4).frames", variables: variables).number, 4)
        XCTAssertEqual(try value(of: "(crop s 0 -5).frames", variables: variables).number, 7)
        XCTAssertEqual(try value(of: "(crop d 0 50).lengths", variables: variables).list?.compactMap(\.number), [12, 12, 12])
        XCTAssertEqual(try value(of: "(crop d 3 5).lengths", variables: variables).list?.compactMap(\.number), [2, 2, 2])
        let error = try XCTUnwrap(failureLocation("crop s 2 40", variables: variables))
        XCTAssertEqual(error.message, "crop's END 40 must lie between START (2) and the sample's 12 frames")
        XCTAssertEqual(error.at, "1:10")
        XCTAssertEqual(failureLocation("crop s 13", variables: variables)?.at, "1:8")
    }
}
