import Platform
import PoseData
import XCTest
@testable import Notebook

final class InterpreterTests: XCTestCase {
    func testArithmeticAndStrings() throws {
        XCTAssertEqual(try value(of: "1 + 2 * 3 - 4 / 2").number, 5)
        XCTAssertEqual(try value(of: "-(2 + 1) % 2").number, -1)
        XCTAssertEqual(try value(of: "\"out/\" + \"Baum\" + \"_\" + 3").string, "out/Baum_3")
        XCTAssertEqual(try value(of: "2 + \" frames\"").string, "2 frames")
        XCTAssertEqual(try value(of: "[1] + [2, 3]").list?.count, 3)
    }

    func testVariablesListsAndIndexing() throws {
        XCTAssertEqual(try value(of: "let xs = [10, 20, 30]; xs[1] + xs[-1]").number, 50)
        XCTAssertEqual(try value(of: "let xs = [[1, 2], [3]]; xs[0][1]").number, 2)
        XCTAssertEqual(try value(of: "let xs = [4, 5]; xs.count + xs.first").number, 6)
        XCTAssertEqual(try value(of: "\"Baum\"[0]").string, "B")
    }

    func testIndexOutOfRangeNamesTheValidRange() throws {
        let error = try XCTUnwrap(failure(of: "let xs = [1, 2]\nxs[5]"))
        XCTAssertEqual(error.message, "index 5 is out of range: the list has 2 elements; valid indices are 0…1 (or -2…-1 from the end)")
        XCTAssertEqual(error.range?.start.line, 2)
        XCTAssertEqual(error.range?.start.column, 1)
        XCTAssertEqual(failure(of: "[1][0.5]")?.message, "an index must be a whole number, got 0.5")
        XCTAssertEqual(failure(of: "3[0]")?.message, "a number cannot be indexed")
    }

    func testUnknownVariableSuggestsAName() throws {
        let error = try XCTUnwrap(failure(of: "let words = [1]\nshow wrods"))
        XCTAssertEqual(error.message, "unknown variable 'wrods' — did you mean 'words'?")
        XCTAssertEqual(error.range?.start.column, 6)
        let plain = try XCTUnwrap(failure(of: "show nothing"))
        XCTAssertEqual(plain.hint, "define it first: let nothing = …  (`:vars` lists the variables)")
    }

    func testTypeErrorsInArithmetic() throws {
        XCTAssertEqual(failure(of: "1 - \"a\"")?.message, "cannot subtract a number and a string")
        XCTAssertEqual(failure(of: "1 / 0")?.message, "division by zero")
    }

    func testDatasetAndSampleMembers() throws {
        let dataset = try tinyDataset()
        let variables: [String: Value] = ["d": .dataset(dataset)]
        XCTAssertEqual(try value(of: "d.count", variables: variables).number, 3)
        XCTAssertEqual(try value(of: "d.frames", variables: variables).number, 20)
        XCTAssertEqual(try value(of: "d[2].text", variables: variables).string, "Guten Morgen")
        XCTAssertEqual(try value(of: "d[-1].frames", variables: variables).number, 10)
        XCTAssertEqual(try value(of: "d[0].fps", variables: variables).number, 25)
        XCTAssertEqual(try value(of: "d[0].seconds", variables: variables).number, 0.16)
        XCTAssertEqual(try value(of: "d.texts", variables: variables).list?.map(\.plainText), ["Baum", "Haus", "Guten Morgen"])
        XCTAssertEqual(try value(of: "d.parts[1]", variables: variables).string, "hand")
    }

    func testUnknownMemberListsTheMembers() throws {
        let variables: [String: Value] = ["s": .sample(try tinySample(frames: 2))]
        let error = try XCTUnwrap(failure(of: "s.frmaes", variables: variables))
        XCTAssertEqual(error.message, "a sample has no member 'frmaes' — did you mean 'frames'?")
        XCTAssertEqual(error.range?.start.column, 3)
        XCTAssertTrue(error.hint?.hasPrefix("members of a sample: frames, fps, seconds") == true)
    }

    func testForLoopsOverListsRangesAndDatasets() throws {
        XCTAssertEqual(try evaluate("for w in [\"a\", \"b\"] { print w + \"!\" }").output, "a!\nb!\n")
        XCTAssertEqual(try evaluate("let total = 0\nfor i in range 1 5 { let total = total + i }\nprint total").output, "10\n")
        let output = try evaluate("for s in d { print s.name s.frames }", variables: ["d": .dataset(try tinyDataset())]).output
        XCTAssertEqual(output, "a 4\nb 6\nc 10\n")
        XCTAssertEqual(failure(of: "for i in 3 { }")?.message, "for needs a list, range, dataset or table to walk, got a number")
    }

    func testBareValuesAreEchoedButLoopBodiesAreNot() throws {
        let result = try evaluate("1\nlet a = 2\nfor i in [1] { 5 }\na\nprint \"x\"")
        XCTAssertEqual(result.values.map(\.number), [1, 2])
        XCTAssertEqual(result.output, "x\n")
    }

    func testRangeIsLazyAndIndexable() throws {
        XCTAssertEqual(try value(of: "(range 100000000000).count").number, 100_000_000_000)
        XCTAssertEqual(try value(of: "(range 10 0 step: -3)[3]").number, 1)
        XCTAssertEqual(try value(of: "len (range 10 0 step: -3)").number, 4)
        XCTAssertEqual(failure(of: "range 3 step: 0")?.message, "range's step must not be 0")
        XCTAssertEqual(failure(of: "range 2.5")?.message, "range needs a whole number for 'first', got 2.5")
    }

    func testWrongTypeNamesTheVerbTheTypesAndTheArgument() throws {
        let error = try XCTUnwrap(failure(of: "render 3 to \"x.png\"", verbs: [FakeRenderVerb()]))
        XCTAssertEqual(error.message, "render expects a sample or dataset, got a number")
        XCTAssertEqual(error.range?.start.column, 8)
        let afterTo = try XCTUnwrap(failure(of: "render s to 3", variables: ["s": .sample(try tinySample(frames: 1))],
                                            verbs: [FakeRenderVerb()]))
        XCTAssertEqual(afterTo.message, "render expects after 'to' a string, got a number")
        XCTAssertEqual(afterTo.range?.start.column, 13)
    }

    func testUnknownNamedArgumentListsTheValidOnes() throws {
        let error = try XCTUnwrap(failure(of: "render s to \"x\" fsp: 3", variables: ["s": .sample(try tinySample(frames: 1))],
                                          verbs: [FakeRenderVerb()]))
        XCTAssertEqual(error.message, "unknown named argument 'fsp:' for render — did you mean 'fps'?")
        XCTAssertEqual(error.hint, "valid: fps:, scale:")
        XCTAssertEqual(error.range?.start.column, 17)
    }

    func testMissingAndMisplacedArguments() throws {
        let variables: [String: Value] = ["s": .sample(try tinySample(frames: 1))]
        let missing = try XCTUnwrap(failure(of: "render s", variables: variables, verbs: [FakeRenderVerb()]))
        XCTAssertEqual(missing.message, "render needs 'to PATH' (output file)")
        XCTAssertEqual(missing.hint, "usage: render SAMPLE|DATASET [vs SAMPLE] to PATH [fps: NUMBER] [scale: NUMBER]")
        let extra = try XCTUnwrap(failure(of: "render s \"x.png\"", variables: variables, verbs: [FakeRenderVerb()]))
        XCTAssertEqual(extra.message, "render takes 1 positional argument; this one is extra")
        XCTAssertTrue(extra.hint?.hasSuffix("did you leave out 'vs' or 'to'?") == true)
        let connector = try XCTUnwrap(failure(of: "show s to \"x\"", variables: variables))
        XCTAssertEqual(connector.message, "'to' does not go with show")
        XCTAssertEqual(failure(of: "show 1 rows: 2 rows: 3")?.message, "'rows:' is given twice")
    }

    func testArgumentsAreCheckedBeforeTheyAreEvaluated() throws {
        let tick = TickVerb(interruptAt: 100)
        XCTAssertNotNil(failure(of: "show (tick) stpes: 2", verbs: [tick]))
        XCTAssertEqual(tick.calls, 0, "a misspelt name must fail before the nested command runs")
    }

    func testVerbErrorsPointAtTheArgument() throws {
        let error = try XCTUnwrap(failure(of: "let t = read_lines \"/nonexistent/texts.txt\""))
        XCTAssertEqual(error.message, "no file '/nonexistent/texts.txt'")
        XCTAssertEqual(error.range?.start.column, 20)
    }

    func testInterruptStopsALoopAndNamesIt() throws {
        let tick = TickVerb(interruptAt: 5)
        let error = try XCTUnwrap(failure(of: "for i in range 1000000 { tick }", verbs: [tick]))
        XCTAssertEqual(error.kind, .interrupted)
        XCTAssertEqual(tick.calls, 5)
    }

    func testReadLines() throws {
        let directory = try temporaryDirectory(self)
        let file = directory.appendingPathComponent("texts.txt")
        try "Baum\n\n# note\n  Guten Morgen  \n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try value(of: "read_lines \"\(file.path)\"").list?.map(\.plainText), ["Baum", "Guten Morgen"])
        XCTAssertEqual(try value(of: "read_lines \"\(file.path)\" keep_empty: true").list?.map(\.plainText),
                       ["Baum", "", "# note", "Guten Morgen"])
    }

    func testReadLinesOfAnEmptyFileIsAnEmptyList() throws {
        let file = try temporaryDirectory(self).appendingPathComponent("empty.txt")
        try Data().write(to: file)
        XCTAssertEqual(try value(of: "read_lines \"\(file.path)\"").list?.count, 0)
        XCTAssertEqual(try value(of: "read_lines \"\(file.path)\" keep_empty: true").list?.count, 0,
                       "an empty file has no lines, not one empty line")
        try Data("\n".utf8).write(to: file)
        XCTAssertEqual(try value(of: "read_lines \"\(file.path)\" keep_empty: true").list?.map(\.plainText), [""])
    }

    func testReadLinesRefusesWhatIsNotASmallTextFile() throws {
        let directory = try temporaryDirectory(self)
        let folder = try XCTUnwrap(failure(of: "read_lines \"\(directory.path)\""))
        XCTAssertEqual(folder.message, "'\(directory.path)' is a directory, not a text file")
        XCTAssertEqual(folder.range?.start.column, 12, "points at the path")

        let binary = directory.appendingPathComponent("model.bin")
        try Data([0x42, 0x61, 0x75, 0x6D, 0x00, 0x01]).write(to: binary)
        XCTAssertEqual(try XCTUnwrap(failure(of: "read_lines \"\(binary.path)\"")).message,
                       "'\(binary.path)' is not a text file (a NUL byte at offset 4)")

        let latin1 = directory.appendingPathComponent("latin1.txt")
        try Data([0x47, 0x72, 0xFC, 0x6E]).write(to: latin1)
        XCTAssertEqual(try XCTUnwrap(failure(of: "read_lines \"\(latin1.path)\"")).message, "'\(latin1.path)' is not UTF-8 text")

        // Sparse: the size is checked before a byte is read, so the test writes nothing.
        let huge = directory.appendingPathComponent("huge.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: huge.path, contents: nil))
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: UInt64(TextFile.defaultMaximumBytes + 1))
        try handle.close()
        let start = Date()
        let error = try XCTUnwrap(failure(of: "read_lines \"\(huge.path)\""))
        XCTAssertEqual(error.message, "'\(huge.path)' is \(TextFile.defaultMaximumBytes + 1) bytes, larger than the 16 MiB a list of texts may have")
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }
}

final class LoopProgressTests: XCTestCase {
    func testLongLoopsShowProgressAndShortOnesDoNot() throws {
        let (output, printed) = NotebookOutput.capturing()
        let interpreter = Interpreter(output: output, interrupt: InterruptFlag())
        var now = 0.0
        interpreter.clock = { now += 0.001; return now }
        let source = SourceText(name: "t", text: "for i in range 10000 { let x = i }")
        try interpreter.run(try interpreter.parse(source), source: source) { _ in }
        XCTAssertEqual(printed(), "", "a loop under a second is silent")

        interpreter.clock = { now += 1; return now }
        try interpreter.run(try interpreter.parse(source), source: source) { _ in }
        XCTAssertTrue(printed().hasPrefix("for i  4095/10000  40%  2048/s  0:03 left"), printed())
    }
}
