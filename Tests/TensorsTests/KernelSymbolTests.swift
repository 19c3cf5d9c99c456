import Foundation
import XCTest
import TestSupport

/// The kernel modules are compiled for AVX-512 (`TensorKernels`) and AVX2 (`TensorKernelsAVX2`);
/// every other module is baseline. A function emitted weak (shared by name: generic
/// specialisations of the standard library, `SIMD16<Float>.replacing(with:where:)` and the like)
/// in a kernel module and also used or defined by another module may be resolved by the linker to
/// the kernel module's copy, so a baseline caller would run AVX-512 instructions and crash a CPU
/// without them. This test reads the built objects with `nm` and fails on any such symbol, and
/// fails (never skips) when it cannot find the objects.
final class KernelSymbolTests: XCTestCase {
    static let kernelModules = ["TensorKernels", "TensorKernelsAVX2"]

    func testKernelModulesShareNoWeakFunctionWithOtherModules() throws {
        #if arch(x86_64)
        let buildDirectory = try Self.buildDirectory()
        let modules = try FileManager.default.contentsOfDirectory(atPath: buildDirectory.path)
            .filter { $0.hasSuffix(".build") }.map { String($0.dropLast(".build".count)) }
        var symbols: [String: ModuleSymbols] = [:]
        for module in modules {
            let objects = try Self.objects(of: module, in: buildDirectory)
            if objects.isEmpty { continue }
            symbols[module] = ModuleSymbols(nmOutput: try Self.nm(objects))
        }
        for kernel in Self.kernelModules {
            let own = try XCTUnwrap(symbols[kernel], "no objects of \(kernel) in \(buildDirectory.path)")
            XCTAssertFalse(own.defined.isEmpty, "\(kernel) defines no symbols: are its sources compiled?")
            for (module, other) in symbols where module != kernel {
                let shared = own.weakFunctions.intersection(other.used.union(other.weakFunctions))
                XCTAssertTrue(shared.isEmpty, """
                    \(kernel) emits weak functions that \(module) also uses or defines; the linker may give \
                    \(module) the \(kernel) copy: \(shared.sorted().prefix(10).joined(separator: ", "))
                    """)
            }
        }
        #else
        throw XCTSkip("not x86-64: the kernel modules compile empty, there is nothing to check")
        #endif
    }

    /// The directory of the build products (`.build/release`, or wherever the test bundle runs).
    static func buildDirectory() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        for configuration in ["release", "debug"] {
            candidates.append(PythonReference.repositoryRoot.appendingPathComponent(".build/\(configuration)").resolvingSymlinksInPath())
        }
        for directory in candidates {
            let marker = directory.appendingPathComponent("\(kernelModules[0]).build").path
            if FileManager.default.fileExists(atPath: marker) { return directory }
        }
        throw SymbolCheckFailure(description: "no TensorKernels.build directory next to the test bundle or in .build: "
            + candidates.map(\.path).joined(separator: ", "))
    }

    /// The object files of `module` (recursively, however SwiftPM lays them out).
    static func objects(of module: String, in buildDirectory: URL) throws -> [String] {
        let directory = buildDirectory.appendingPathComponent("\(module).build")
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".o") }.map { directory.appendingPathComponent($0).path }
    }

    /// `nm -P` of the objects (one line per symbol: name, type, …).
    static func nm(_ objects: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["nm", "-P"] + objects
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SymbolCheckFailure(description: "nm exited with status \(process.terminationStatus) on \(objects.first ?? "")…")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Why the objects could not be read.
struct SymbolCheckFailure: Error, CustomStringConvertible {
    let description: String
}

/// The symbols of one module's objects, from `nm -P`.
struct ModuleSymbols {
    /// Defined symbols of any kind.
    var defined: Set<String> = []
    /// Weak functions defined here (`W`: code the linker may take from any object that has it).
    var weakFunctions: Set<String> = []
    /// Symbols used but not defined here (`U`).
    var used: Set<String> = []

    init(nmOutput: String) {
        for line in nmOutput.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // "name type value size"; file headers ("x.o:") have one field.
            guard fields.count >= 2, fields[1].count == 1 else { continue }
            let name = String(fields[0]), type = fields[1]
            switch type {
            case "U": used.insert(name)
            case "W": weakFunctions.insert(name); defined.insert(name)
            case "w", "v": break
            default: defined.insert(name)
            }
        }
    }
}
