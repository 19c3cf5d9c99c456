import Foundation
import XCTest
@testable import Platform

final class AtomicFileTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func contents(of directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testWritesAndReplacesLeavingOnlyTheTarget() throws {
        let directory = try temporaryDirectory()
        let target = directory.appendingPathComponent("model.safetensors")
        try AtomicFile.write([1, 2, 3], to: target)
        try AtomicFile.write("replaced", to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "replaced")
        try AtomicFile.write(Array("unflushed".utf8), to: directory.appendingPathComponent("frame.png"), flushing: false)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("frame.png"), encoding: .utf8), "unflushed")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("frame.png"))
        XCTAssertEqual(try contents(of: directory), ["model.safetensors"], "no temporary is left behind")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int)
        let mask = umask(0)
        umask(mask)
        XCTAssertEqual(mode, 0o666 & ~Int(mask), "an ordinary new file's permissions")
    }

    func testMissingDirectoryIsNamedOrMade() throws {
        let directory = try temporaryDirectory()
        let missing = directory.appendingPathComponent("no/such")
        XCTAssertThrowsError(try AtomicFile.write([1], to: missing.appendingPathComponent("x.pkl"))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("the directory \(missing.path) does not exist"), message)
            XCTAssertFalse(message.contains(".tmp-"), "the message names the directory, not a temporary: \(message)")
        }
        try AtomicFile.write([1], to: missing.appendingPathComponent("x.pkl"), creatingDirectories: true)
        XCTAssertEqual(try contents(of: missing), ["x.pkl"])
    }

    func testADirectoryThatIsAFileIsRefused() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("plain")
        try AtomicFile.write([1], to: file)
        XCTAssertThrowsError(try AtomicFile.write([1], to: file.appendingPathComponent("x.json"))) { error in
            XCTAssertTrue("\(error)".contains("is a file, not a directory"), "\(error)")
        }
        XCTAssertThrowsError(try AtomicFile.write([1], to: file.appendingPathComponent("sub/x.json"), creatingDirectories: true)) { error in
            XCTAssertTrue("\(error)".contains("cannot create directory"), "\(error)")
        }
        XCTAssertThrowsError(try Directories.makeWritable(file.path)) { error in
            XCTAssertTrue("\(error)".contains("is not a directory"), "\(error)")
        }
    }

    /// A failed rename (the target is a non-empty directory) removes the temporary.
    func testAFailedRenameRemovesTheTemporary() throws {
        let directory = try temporaryDirectory()
        let blocker = directory.appendingPathComponent("out.json")
        try FileManager.default.createDirectory(at: blocker.appendingPathComponent("inside"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write([1, 2], to: blocker)) { error in
            XCTAssertTrue("\(error)".contains("cannot replace it"), "\(error)")
        }
        XCTAssertEqual(try contents(of: directory), ["out.json"])
    }

    /// A temporary whose writer was killed (its process is gone) is removed by the next write of the
    /// same target; one of a running process, and other files, are left alone.
    func testStaleTemporariesOfTheTargetAreRemoved() throws {
        let directory = try temporaryDirectory()
        let deadProcess = try exitedProcessID()
        let stale = ".model.safetensors.tmp-\(deadProcess)-7"
        let live = ".model.safetensors.tmp-\(getppid())-1"
        let unrelated = [".model.safetensors.tmp-notes", "model.safetensors.tmp-\(deadProcess)-1", ".other.json.tmp-\(deadProcess)-2"]
        for name in [stale, live] + unrelated {
            FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: Data(count: 10))
        }
        try AtomicFile.write([1], to: directory.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(try contents(of: directory), ([live, "model.safetensors"] + unrelated).sorted())
    }

    /// What the signal handlers do before the process ends: every temporary in flight is removed,
    /// finished ones are forgotten.
    func testTemporariesInFlightAreRemovedOnRequest() throws {
        let directory = try temporaryDirectory()
        TemporaryFiles.prepareForSignals()
        let first = TemporaryFiles.path(for: "a.png", in: directory.path)
        let second = TemporaryFiles.path(for: "b.png", in: directory.path)
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(URL(fileURLWithPath: first).lastPathComponent.hasPrefix(".a.png.tmp-\(getpid())-"))
        let firstSlot = try XCTUnwrap(TemporaryFiles.register(first))
        let secondSlot = try XCTUnwrap(TemporaryFiles.register(second))
        FileManager.default.createFile(atPath: first, contents: Data(count: 3))
        FileManager.default.createFile(atPath: second, contents: Data(count: 3))
        TemporaryFiles.finish(secondSlot)
        TemporaryFiles.removeAllInFlight()
        XCTAssertFalse(FileManager.default.fileExists(atPath: first))
        XCTAssertTrue(FileManager.default.fileExists(atPath: second), "a finished temporary is no longer tracked")
        TemporaryFiles.finish(firstSlot)
    }

    func testLongNamesKeepTheirTemporaryWithinAFileName() throws {
        let directory = try temporaryDirectory()
        let name = String(repeating: "ü", count: 120) + ".json"   // 245 bytes
        try AtomicFile.write([1], to: directory.appendingPathComponent(name))
        XCTAssertEqual(try contents(of: directory), [name])
        XCTAssertLessThanOrEqual(TemporaryFiles.prefix(of: name).utf8.count, 206)
    }

    /// The id of a process that has exited (a child that ran `true`).
    private func exitedProcessID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}
