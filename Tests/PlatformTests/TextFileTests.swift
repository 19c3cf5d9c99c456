import Foundation
import XCTest
@testable import Platform

final class TextFileTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("text-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func problem(reading path: String, maximumBytes: Int = TextFile.defaultMaximumBytes) -> TextFileError.Problem? {
        do {
            _ = try TextFile.read(path: path, maximumBytes: maximumBytes)
            return nil
        } catch {
            return error.problem
        }
    }

    func testReadsUTF8TextAndAnEmptyFile() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("texts.txt")
        try Data("Baum\nGrüße\r\n".utf8).write(to: file)
        XCTAssertEqual(try TextFile.read(path: file.path), "Baum\nGrüße\r\n")
        try Data().write(to: file)
        XCTAssertEqual(try TextFile.read(path: file.path), "")
    }

    func testRefusesWhatIsNotASmallTextFile() throws {
        let directory = try temporaryDirectory()
        XCTAssertEqual(problem(reading: directory.appendingPathComponent("none.txt").path), .missing)
        XCTAssertEqual(problem(reading: directory.path), .directory)

        let binary = directory.appendingPathComponent("model.bin")
        try Data([0x42, 0x61, 0x75, 0x6D, 0x00, 0x01]).write(to: binary)
        XCTAssertEqual(problem(reading: binary.path), .nulByte(offset: 4))

        let latin1 = directory.appendingPathComponent("latin1.txt")
        try Data([0x47, 0x72, 0xFC, 0x6E]).write(to: latin1)
        XCTAssertEqual(problem(reading: latin1.path), .notUTF8)

        let eleven = directory.appendingPathComponent("eleven.txt")
        try Data("Baum\nHaus\n\n".utf8).write(to: eleven)
        XCTAssertEqual(problem(reading: eleven.path, maximumBytes: 10), .tooLarge(bytes: 11, maximumBytes: 10))
        XCTAssertNil(problem(reading: eleven.path, maximumBytes: 11), "the ceiling itself is allowed")
        XCTAssertEqual(TextFileError(path: eleven.path, problem: .tooLarge(bytes: 11, maximumBytes: 10)).reason,
                       "is 11 bytes, larger than the 10 bytes a list of texts may have", "a ceiling below 1 MiB is given in bytes")
    }

    /// The size is checked before a byte is read: a sparse file claiming more than the ceiling is
    /// refused without being read (the test writes nothing).
    func testTheCeilingIsCheckedBeforeReading() throws {
        let huge = try temporaryDirectory().appendingPathComponent("huge.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: UInt64(TextFile.defaultMaximumBytes + 1))
        try handle.close()
        XCTAssertEqual(problem(reading: huge.path),
                       .tooLarge(bytes: TextFile.defaultMaximumBytes + 1, maximumBytes: TextFile.defaultMaximumBytes))
    }

    func testMessagesNameTheFileAndWhatToDo() {
        let error = TextFileError(path: "t.txt", problem: .nulByte(offset: 7))
        XCTAssertEqual(error.description, "'t.txt' is not a text file (a NUL byte at offset 7) (save it as UTF-8 text, one entry a line)")
    }
}
