import Foundation
import TestSupport
import XCTest
@testable import HybridSign

/// The PyTorch twin reads its presets and defaults from `python/hybridsign_torch/presets.json`;
/// the Swift presets are the one definition. This test fails when the file and the Swift code
/// disagree, so a changed preset, a new configuration field or a new training default cannot
/// reach one engine without the other. The twin rejects configuration keys it does not know
/// (`python/tests/test_config.py`), so a new field also needs the twin's code.
final class TwinPresetsTests: XCTestCase {
    static let path = "python/hybridsign_torch/presets.json"

    /// The file's content as the Swift code defines it.
    static func expectedContent() throws -> String {
        struct Presets: Encodable {
            let about: String
            let model_defaults: ModelConfig
            /// Full configurations; their layout is the default one (a preset does not fix it: the
            /// twin takes the data's, as Swift does).
            let presets: [String: ModelConfig]
            let training_defaults: TrainingOptions
        }
        let content = Presets(
            about: "Written by the Swift test TwinPresetsTests from ModelConfig.preset, ModelConfig() and TrainingOptions(): "
                + "the Swift presets are the one definition. Regenerate with HYBRIDSIGN_UPDATE_TWIN_PRESETS=1.",
            model_defaults: ModelConfig(),
            presets: ["small": try ModelConfig.preset("small"), "paper": try ModelConfig.preset("paper")],
            training_defaults: TrainingOptions())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(content), as: UTF8.self) + "\n"
    }

    func testTwinPresetsMatchTheSwiftPresets() throws {
        let url = PythonReference.repositoryRoot.appendingPathComponent(Self.path)
        let expected = try Self.expectedContent()
        if ProcessInfo.processInfo.environment["HYBRIDSIGN_UPDATE_TWIN_PRESETS"] == "1" {
            try Data(expected.utf8).write(to: url, options: .atomic)
        }
        let actual = (try? String(contentsOf: url, encoding: .utf8)) ?? "(missing)"
        XCTAssertEqual(actual, expected, """
            \(Self.path) differs from the Swift presets and defaults. Rerun this test with \
            HYBRIDSIGN_UPDATE_TWIN_PRESETS=1 to rewrite it, then run the twin's tests (python/tests) \
            so the twin agrees with the change.
            """)
    }
}
