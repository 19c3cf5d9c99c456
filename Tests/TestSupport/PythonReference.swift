import Foundation

/// Runs Python reference code (safetensors, transformers, the PyTorch twin) for tests that compare
/// the Swift implementation against it.
///
/// The interpreter is `HYBRIDSIGN_PYTHON`, which `scripts/run-tests.sh` sets to the test
/// environment's python (`.venv`, made by `scripts/python-env.sh`). A missing interpreter or
/// package is a failure, never a skip: these tests exist to catch drift between the two sides.
public enum PythonReference {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The interpreter to run, or an error that says how to get one.
    public static func interpreter() throws -> String {
        if let path = ProcessInfo.processInfo.environment["HYBRIDSIGN_PYTHON"], !path.isEmpty {
            return path
        }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        throw Failure(description: "no Python test environment: run `make test`, or `bash scripts/python-env.sh` and set HYBRIDSIGN_PYTHON to the path it prints")
    }

    /// The repository's root directory (three levels above this file).
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `python -c script arguments...` and returns its standard output; a non-zero exit is an
    /// error carrying the script's standard error.
    @discardableResult
    public static func run(_ script: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> Data {
        try execute(["-c", script] + arguments, environment: environment)
    }

    /// Runs the Python file `script` with `arguments` and returns its standard output, as ``run(_:arguments:environment:)``.
    @discardableResult
    public static func run(file script: URL, arguments: [String] = [], environment: [String: String] = [:]) throws -> Data {
        try execute([script.path] + arguments, environment: environment)
    }

    private static func execute(_ arguments: [String], environment: [String: String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try interpreter())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = repositoryRoot.appendingPathComponent("python").path + (env["PYTHONPATH"].map { ":" + $0 } ?? "")
        env["HF_HUB_OFFLINE"] = "1"
        env["TRANSFORMERS_OFFLINE"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Standard error goes to a file, so a chatty script cannot fill a pipe and block.
        let errURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("python-reference-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).err")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errData.suffix(4000), as: UTF8.self)
            throw Failure(description: "python exited with status \(process.terminationStatus):\n\(message)")
        }
        return outData
    }
}
