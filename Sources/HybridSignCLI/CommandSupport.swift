import ArgumentParser
import Foundation
import PoseData

/// Shared helpers of the model commands: loading and saving pose data by file name, errors.
enum CommandSupport {
    /// Loads any dataset file the CLI accepts (`.pkl`, `.pkl.gz`, `.pose`, a directory of `.pose`,
    /// `.json`) through PoseData's dispatcher.
    static func loadDataset(_ path: String) throws -> PoseDataset {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("\(path): no such file")
        }
        return try PoseIO.load(contentsOf: url)
    }

    /// Saves one sequence as .json, .pose or .pkl (chosen by the name), atomically.
    static func save(_ sequence: PoseSequence, to path: String) throws {
        try PoseIO.save(sequence, to: URL(fileURLWithPath: path))
    }

    /// Prints `error` as `hybridsign COMMAND: message` on stderr and exits with failure.
    static func fail(_ command: String, _ error: any Error) -> ExitCode {
        FileHandle.standardError.write(Data("hybridsign \(command): \(error)\n".utf8))
        return ExitCode.failure
    }

    /// Prints `message` as `hybridsign: warning: message` on stderr; the command goes on.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("hybridsign: warning: \(message)\n".utf8))
    }

    /// A number for JSON output (`null` when absent or not finite).
    static func json(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return String(format: "%.6g", value)
    }
}
