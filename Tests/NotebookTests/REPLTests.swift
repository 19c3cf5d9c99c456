import Platform
import XCTest
@testable import Notebook

/// The read–run loop with scripted input: prompts, continuation, Ctrl-C and Ctrl-D, exit status.
final class REPLTests: XCTestCase {
    private final class ScriptedReader: LineReader {
        var inputs: [LineInput]
        var prompts: [String] = []
        var remembered: [String] = []
        init(_ inputs: [LineInput]) { self.inputs = inputs }
        func remember(_ cell: String) { remembered.append(cell) }
        func read(prompt: String) -> LineInput {
            prompts.append(prompt)
            return inputs.isEmpty ? .end : inputs.removeFirst()
        }
    }

    func testInteractiveLoopContinuesBlocksAndSurvivesErrorsAndInterrupts() {
        let (session, output) = makeSession()
        let reader = ScriptedReader([
            .line("for i in range 2 {"), .line("  print i"), .line("}"),
            .line("show nothing"),
            .line("let half = ["), .interrupted,
            .line("for i in [1] {"), .end,
            .line("1 + 1"),
            .line(":quit"), .line("print \"not reached\""),
        ])
        let status = REPL(session: session, reader: reader, stopOnError: false).run()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(reader.prompts, ["[1]> ", "...> ", "...> ", "[2]> ", "[3]> ", "...> ", "[3]> ", "...> ", "[3]> ", "[4]> "])
        XCTAssertTrue(output().hasPrefix("0\n1\ncell 2:1:6: unknown variable 'nothing'"), output())
        XCTAssertTrue(output().hasSuffix("\n\n\n2\n"), output())
        XCTAssertFalse(output().contains("not reached"))
        // A block typed over three lines is one history entry; a dropped block none.
        XCTAssertEqual(reader.remembered, ["for i in range 2 {\n  print i\n}\n", "show nothing\n", "1 + 1\n", ":quit\n"])
    }

    /// Ctrl-D at the prompt ends the prompt's line before the REPL ends (the shell's prompt
    /// would otherwise follow `[2]> ` on the same line).
    func testCtrlDAtThePromptEndsTheLine() {
        let (session, output) = makeSession()
        let reader = ScriptedReader([.line("1 + 1"), .end])
        XCTAssertEqual(REPL(session: session, reader: reader, stopOnError: false).run(), 0)
        XCTAssertEqual(output(), "2\n\n")
        let (piped, pipedOutput) = makeSession()
        XCTAssertEqual(REPL(session: piped, reader: ScriptedReader([.line("1 + 1")]), stopOnError: true, sourceName: "<stdin>").run(), 0)
        XCTAssertEqual(pipedOutput(), "2\n", "piped input ends without an extra line")
    }

    func testPipedLoopStopsAtTheFirstErrorWithFileLines() {
        let (session, output) = makeSession()
        let reader = ScriptedReader([.line("let a = 1"), .line(""), .line("for i in [a] {"), .line("  print i.nope"),
                                     .line("}"), .line("print \"not reached\"")])
        let status = REPL(session: session, reader: reader, stopOnError: true, sourceName: "<stdin>").run()
        XCTAssertEqual(status, 1)
        XCTAssertEqual(output(), """
            <stdin>:4:11: a number has no member 'nope'
                  print i.nope
                          ^^^^
                hint: number values have no members

            """)
    }

    func testPipedInputEndingInsideABlockIsAnError() {
        let (session, output) = makeSession()
        let status = REPL(session: session, reader: ScriptedReader([.line("for i in [1] {")]), stopOnError: true,
                          sourceName: "<stdin>").run()
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output().hasPrefix("<stdin>:1:14: the input ended before the '{' opened here was closed"), output())
    }

    /// SIGTERM stops the running cell like Ctrl-C, then ends the loop with 128 + 15 instead of
    /// reading the next line; the script runner does the same.
    func testSIGTERMEndsTheLoopOnceTheCellHasStopped() {
        let tick = TickVerb(interruptAt: 3, terminates: true)
        let interrupt = InterruptFlag()
        let (session, output) = makeSession(verbs: [tick], interrupt: interrupt)
        let reader = ScriptedReader([.line("for i in range 10 { tick }"), .line("print \"not reached\"")])
        XCTAssertEqual(REPL(session: session, reader: reader, stopOnError: false).run(), 143)
        XCTAssertEqual(output(), "interrupted\n")
        XCTAssertEqual(reader.prompts, ["[1]> "])

        var registry = VerbRegistry()
        registry.register(TickVerb(interruptAt: 2, terminates: true))
        let (scriptOutput, _) = NotebookOutput.capturing()
        XCTAssertEqual(ScriptRunner(registry: registry, output: scriptOutput, interrupt: InterruptFlag())
            .run(SourceText(name: "job.hsl", text: "for i in range 10 { tick }")), 143)
    }
}
