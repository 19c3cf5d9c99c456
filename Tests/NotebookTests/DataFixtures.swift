import Foundation
import PoseData
import XCTest
@testable import Notebook

/// The notebook's data fixtures (scripts/make_notebook_fixtures.py): three 12-frame words.
enum DataFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// `words.pkl`: Mai, Uhr, Ohr (gsg, 6.25 fps, OpenPose-137, 12 frames each).
    static var wordsPath: String { directory.appendingPathComponent("words.pkl").path }
    /// A pose-format file (one sequence).
    static var posePath: String { directory.appendingPathComponent("openpose-posefmt.pose").path }

    static func words() throws -> PoseDataset {
        try PoseIO.load(contentsOf: URL(fileURLWithPath: wordsPath))
    }

    /// The variables `d` (the words) and `s` (Uhr).
    static func variables() throws -> [String: Value] {
        let words = try words()
        return ["d": .dataset(words), "s": .sample(words[1])]
    }
}

/// The error a statement fails with, as (message, line:column).
func failureLocation(_ text: String, variables: [String: Value] = [:], file: StaticString = #filePath,
                     line: UInt = #line) -> (message: String, at: String, hint: String?)? {
    guard let error = failure(of: text, variables: variables, file: file, line: line) else { return nil }
    return (error.message, error.range.map { "\($0.start.line):\($0.start.column)" } ?? "-", error.hint)
}

/// The bundled word data: `data/words/SPLIT.pkl` (dev or test).
func bundledWordsPath(_ split: String) -> String {
    repositoryRoot.appendingPathComponent("data/words/\(split).pkl").path
}
