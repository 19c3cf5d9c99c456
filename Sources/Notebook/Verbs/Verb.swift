import Foundation
import Platform

/// A command of the notebook language. Each verb lives in its own file and declares its
/// ``signature`` once; the interpreter checks arguments against it before ``run(_:context:)``.
///
/// To add a verb: write a type conforming to `Verb` in one file and list it in
/// ``VerbRegistry/builtIn`` (or call ``VerbRegistry/register(_:)`` on a session's registry).
public protocol Verb: Sendable {
    /// The verb's declaration: name, parameters, help and examples.
    var signature: VerbSignature { get }
    /// Runs the verb with arguments already checked against ``signature``.
    func run(_ arguments: Arguments, context: VerbContext) throws -> Value
}

/// What a running verb can use: output, progress reporting, the interrupt flag, and the list of
/// files the current cell made.
public final class VerbContext {
    /// Where verbs print.
    public let output: NotebookOutput
    /// Set by Ctrl-C; long verbs poll it through ``checkInterrupt()``.
    public let interrupt: InterruptFlag
    /// Files written by the current cell, in order; notebooks link to them.
    public private(set) var artifacts: [FileResult] = []
    /// The directory of the script being run (`hybridsign run FILE`, `:load FILE`), if any:
    /// relative input paths that do not exist in the current directory are looked up there.
    public var scriptDirectory: URL?

    /// Creates a context.
    public init(output: NotebookOutput, interrupt: InterruptFlag) {
        self.output = output
        self.interrupt = interrupt
    }

    /// Throws ``NotebookError/interrupted(at:)`` when Ctrl-C was pressed. Call it often (every
    /// step, every frame) in anything that can take more than a fraction of a second.
    public func checkInterrupt() throws(NotebookError) {
        if interrupt.isSet { throw NotebookError.interrupted() }
    }

    /// A progress line for long work; see ``ProgressReporter``.
    public func progress(_ title: String, total: Int?) -> ProgressReporter {
        ProgressReporter(title: title, total: total, output: output)
    }

    /// Records a file the verb wrote, so the session's notebook export links it; an image is also
    /// shown (inline in Jupyter) and kept as the cell's own ``Figure``.
    public func attach(_ file: FileResult) {
        artifacts.append(file)
        if let figure = Figure(snapshotOf: file) { output.show(figure) }
    }

    /// Forgets the recorded files (at the start of a cell).
    public func takeArtifacts() -> [FileResult] {
        defer { artifacts = [] }
        return artifacts
    }
}
