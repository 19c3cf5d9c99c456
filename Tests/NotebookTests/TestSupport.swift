import Foundation
import Platform
import PoseData
import XCTest
@testable import Notebook

/// A small layout for tests: a 3-joint "body" and a 2-joint "hand".
let tinyLayout = Layout(name: "tiny", joints: ["a", "b", "c", "d", "e"],
                        parts: [.init(name: "body", joints: [0, 1, 2]), .init(name: "hand", joints: [3, 4])],
                        bones: [.init(0, 1), .init(1, 2), .init(3, 4)])

/// A sequence of `frames` frames on ``tinyLayout``; the hand's joint 4 is missing (confidence 0)
/// in even frames, every other confidence is 0.5.
func tinySample(frames: Int, text: String? = "Baum", name: String? = "s1", fps: Double = 25) throws -> PoseSequence {
    var values: [Float] = []
    for frame in 0..<frames {
        for joint in 0..<5 {
            let missing = joint == 4 && frame % 2 == 0
            values += [Float(frame), Float(joint), missing ? 0 : 0.5]
        }
    }
    return try PoseSequence(layout: tinyLayout, fps: fps, values: values, name: name, text: text, gloss: text?.uppercased())
}

func tinyDataset() throws -> PoseDataset {
    try PoseDataset(layout: tinyLayout, samples: [
        tinySample(frames: 4, text: "Baum", name: "a"),
        tinySample(frames: 6, text: "Haus", name: "b"),
        tinySample(frames: 10, text: "Guten Morgen", name: "c"),
    ])
}

/// A session printing into a string.
func makeSession(verbs: [any Verb] = [], interrupt: InterruptFlag = InterruptFlag()) -> (Session, () -> String) {
    let (output, text) = NotebookOutput.capturing()
    var registry = VerbRegistry()
    for verb in verbs { registry.register(verb) }
    return (Session(registry: registry, output: output, interrupt: interrupt), text)
}

/// Runs `text` in a fresh interpreter; returns what it printed, or throws its error.
@discardableResult
func evaluate(_ text: String, variables: [String: Value] = [:], verbs: [any Verb] = []) throws -> (output: String, values: [Value]) {
    let (output, printed) = NotebookOutput.capturing()
    var registry = VerbRegistry()
    for verb in verbs { registry.register(verb) }
    let interpreter = Interpreter(registry: registry, output: output, interrupt: InterruptFlag())
    for (name, value) in variables { interpreter.setVariable(name, value) }
    let source = SourceText(name: "test", text: text)
    var values: [Value] = []
    try interpreter.run(try interpreter.parse(source), source: source) { values.append($0) }
    return (printed(), values)
}

/// The single value `text` evaluates to.
func value(of text: String, variables: [String: Value] = [:], verbs: [any Verb] = []) throws -> Value {
    let values = try evaluate(text, variables: variables, verbs: verbs).values
    guard values.count == 1 else { throw NotebookError("expected one value, got \(values.count)") }
    return values[0]
}

/// The error `text` fails with.
func failure(of text: String, variables: [String: Value] = [:], verbs: [any Verb] = [],
             file: StaticString = #filePath, line: UInt = #line) -> NotebookError? {
    do {
        try evaluate(text, variables: variables, verbs: verbs)
        XCTFail("expected an error from: \(text)", file: file, line: line)
        return nil
    } catch let error as NotebookError {
        return error
    } catch {
        XCTFail("unexpected error type: \(error)", file: file, line: line)
        return nil
    }
}

extension Value {
    var number: Double? { if case .number(let value) = self { return value } else { return nil } }
    var string: String? { if case .string(let value) = self { return value } else { return nil } }
    var list: [Value]? { if case .list(let value) = self { return value } else { return nil } }
}

/// `render SAMPLE|DATASET [vs SAMPLE] to PATH [fps: NUMBER]`: a test verb shaped like the real
/// `render`, which writes a small file and reports it as an image.
struct FakeRenderVerb: Verb {
    let signature = VerbSignature(
        name: "render", summary: "draw a sample (test double)",
        positional: [Parameter("what", .sample | .dataset, "what to draw")],
        connectors: [Connector("vs", Parameter("reference", .sample, "drawn beside", optional: true)),
                     Connector("to", Parameter("path", .string, "output file", placeholder: "PATH"))],
        named: [Parameter("fps", .number, "frame rate", default: .number(25)),
                Parameter("scale", .number, "pixels per unit", default: .number(1))],
        returns: "an image", examples: ["render s to \"out/s.png\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let path = try arguments.string("path")
        try Data("png".utf8).write(to: URL(fileURLWithPath: path))
        let file = FileResult(path: path, kind: .image, caption: "contact sheet")
        context.attach(file)
        return .file(file)
    }
}

/// `tick`: counts calls and sets the interrupt flag on the `interruptAt`-th call, as Ctrl-C would.
final class TickVerb: Verb, @unchecked Sendable {
    let signature = VerbSignature(name: "tick", summary: "count (test double)", examples: ["tick"])
    var calls = 0
    let interruptAt: Int
    /// Whether the interrupt is a SIGTERM (which asks the process to end), not a Ctrl-C.
    let terminates: Bool

    init(interruptAt: Int, terminates: Bool = false) {
        self.interruptAt = interruptAt
        self.terminates = terminates
    }

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        calls += 1
        if calls == interruptAt {
            if terminates { context.interrupt.requestTermination(by: SIGTERM) } else { context.interrupt.set() }
        }
        return .number(Double(calls))
    }
}

/// The repository root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary directory, removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}
