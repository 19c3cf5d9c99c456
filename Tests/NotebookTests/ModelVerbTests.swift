import Evaluation
import Foundation
import HybridSign
import Platform
import PoseData
import XCTest
@testable import Notebook

/// The model verbs on a tiny model (D = 16, depth 1) and the three-word fixture.
final class ModelVerbTests: XCTestCase {
    /// `d` (the words), `s` (Uhr) and `m`, a tiny hybrid model trained for 3 steps.
    private func trained(mode: String = "hybrid", steps: Int = 3) throws -> [String: Value] {
        var variables = try DataFixtures.variables()
        let m = try value(of: "model \(mode) dim: 16 depth: 1 heads: 2 mlp: 32 seed: 1", variables: variables)
        variables["m"] = m
        try evaluate("train m on d steps: \(steps) batch: 2", variables: variables)
        return variables
    }

    private func model(_ value: Value?) throws -> ModelValue {
        guard case .object(let object)? = value, let model = object as? ModelValue else { throw NotebookError("not a model") }
        return model
    }

    func testArgumentErrorsPointAtTheArgument() throws {
        let variables = try DataFixtures.variables()
        var failure = failureLocation("model hybird", variables: variables)
        XCTAssertEqual(failure?.at, "1:7")
        XCTAssertTrue(failure?.message.contains("must be hybrid, ar or diffusion, got 'hybird' — did you mean 'hybrid'?") ?? false, "\(failure!)")
        failure = failureLocation("model ar tokens: parts", variables: variables)
        XCTAssertEqual(failure?.at, "1:18")
        XCTAssertTrue(failure?.message.contains("joint or part") ?? false, "\(failure!)")
        failure = failureLocation("model hybrid dim: 30 heads: 4", variables: variables)
        XCTAssertEqual(failure?.at, "1:19")
        XCTAssertTrue(failure?.message.contains("multiple of heads") ?? false, "\(failure!)")
        failure = failureLocation("model hybrid depth: 0", variables: variables)
        XCTAssertEqual(failure?.at, "1:21")

        var withModel = variables
        withModel["m"] = try value(of: "model hybrid dim: 16 depth: 1 heads: 2", variables: variables)
        failure = failureLocation("train m on d", variables: withModel)
        XCTAssertTrue(failure?.message.contains("either steps: N or minutes: M") ?? false, "\(failure!)")
        failure = failureLocation("train m on d steps: 0", variables: withModel)
        XCTAssertEqual(failure?.at, "1:21")
        failure = failureLocation("train m on d steps: 2 minutes: 1", variables: withModel)
        XCTAssertEqual(failure?.at, "1:32")
        failure = failureLocation("train m on s steps: 2", variables: withModel)
        XCTAssertEqual(failure?.message, "train expects after 'on' a dataset, got a sample")
        failure = failureLocation("train m on d steps: 2 checkpoint: \"m.bin\"", variables: withModel)
        XCTAssertEqual(failure?.at, "1:35")
        failure = failureLocation("sample m \"Uhr\"", variables: withModel)
        XCTAssertEqual(failure?.at, "1:8")
        XCTAssertTrue(failure?.message.contains("not been trained yet") ?? false)
        failure = failureLocation("save m to \"m.safetensors\"", variables: withModel)
        XCTAssertEqual(failure?.at, "1:6")
        failure = failureLocation("eval [m, 3] on d", variables: withModel)
        XCTAssertEqual(failure?.message, "eval needs models; element 1 of the list is a number")
        failure = failureLocation("sample d \"Uhr\"", variables: withModel)
        XCTAssertEqual(failure?.message, "sample expects a model, got a dataset")
    }

    func testLayoutMustMatchTheTrainingData() throws {
        var variables = try DataFixtures.variables()
        variables["tiny"] = .dataset(try tinyDataset())
        variables["m"] = try value(of: "model hybrid dim: 16 depth: 1 heads: 2 layout: tiny", variables: variables)
        let failure = failureLocation("train m on d steps: 1", variables: variables)
        XCTAssertEqual(failure?.at, "1:12")
        XCTAssertTrue(failure?.message.contains("layout 'openpose137'") ?? false, "\(failure!)")
    }

    func testTrainingRecordsFiniteLossesAndHistory() throws {
        var variables = try trained(steps: 3)
        let m = try model(variables["m"])
        XCTAssertEqual(m.step, 3)
        XCTAssertEqual(m.historyTable.rows.count, 3)
        XCTAssertEqual(m.historyTable.column("step")?.compactMap(\.number), [1, 2, 3])
        for loss in m.historyTable.column("loss")!.compactMap(\.number) { XCTAssertTrue(loss.isFinite && loss > 0) }
        XCTAssertEqual(try value(of: "m.step", variables: variables).number, 3)
        XCTAssertGreaterThan(try value(of: "m.params", variables: variables).number ?? 0, 1000)
        XCTAssertEqual(try value(of: "m.mode", variables: variables).string, "hybrid")
        XCTAssertEqual(try value(of: "m.history.count", variables: variables).number, 3)
        XCTAssertEqual(try value(of: "m.vocabulary", variables: variables).number, Double(Set("MaiUhrOhr").count))
        // A second train continues: steps and history accumulate.
        try evaluate("train m on d steps: 2 batch: 3", variables: variables)
        XCTAssertEqual(m.step, 5)
        XCTAssertEqual(m.historyTable.column("step")?.compactMap(\.number), [1, 2, 3, 4, 5])
        // The history plots as the docs say.
        let directory = try temporaryDirectory(self)
        variables["out"] = .string(directory.path)
        try evaluate("plot m.history to out + \"/loss.png\" x: \"step\" y: [\"loss\"]", variables: variables)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.path + "/loss.png"))
    }

    func testTrainInBFloat16SaysHowItsProductsRun() throws {
        var variables = try DataFixtures.variables()
        variables["m"] = try value(of: "model hybrid dim: 16 depth: 1 heads: 2 mlp: 32 seed: 1", variables: variables)
        let output = try evaluate("train m on d steps: 1 batch: 2 precision: bf16", variables: variables).output
        XCTAssertTrue(output.contains("bf16 products"), output)
        XCTAssertEqual(try model(variables["m"]).step, 1)
        let failure = failureLocation("train m on d steps: 1 precision: fp16", variables: variables)
        XCTAssertTrue(failure?.message.contains("fp32 or bf16") ?? false, "\(String(describing: failure))")
    }

    func testTrainWithEvalFillsTheDevColumnAndWritesTheCheckpoint() throws {
        var variables = try DataFixtures.variables()
        variables["m"] = try value(of: "model ar dim: 16 depth: 1 heads: 2 mlp: 32", variables: variables)
        let directory = try temporaryDirectory(self)
        variables["path"] = .string(directory.path + "/run/m.safetensors")
        variables["test"] = variables["d"]
        let printed = try evaluate("train m on d steps: 4 batch: 3 eval: test every: 2 checkpoint: path", variables: variables).output
        // The scores carry the name the development data was given, not always "dev".
        XCTAssertEqual(printed.components(separatedBy: " test: DTW-MJE ").count - 1, 2, printed)
        XCTAssertFalse(printed.contains(" dev: "), printed)
        let m = try model(variables["m"])
        let dev = m.historyTable.column("dev_dtw_mje")!
        XCTAssertTrue(dev[0].isNone && dev[2].isNone)
        XCTAssertGreaterThan(dev[1].number ?? 0, 0)
        XCTAssertGreaterThan(dev[3].number ?? 0, 0)
        let loaded = try model(try value(of: "load path", variables: variables))
        XCTAssertEqual(loaded.step, 4)
        XCTAssertEqual(loaded.config.mode, .ar)
        // The checkpoint keeps the loss history, development scores included.
        XCTAssertEqual(loaded.history, m.history)
        XCTAssertEqual(try value(of: "(load path).history.count", variables: variables).number, 4)
        variables["saved"] = .string(directory.path + "/saved.safetensors")
        try evaluate("save m to saved", variables: variables)
        XCTAssertEqual(try value(of: "(load saved).history.count", variables: variables).number, 4)
    }

    func testSampleHasTheModelsLayoutTextAndName() throws {
        let variables = try trained()
        guard case .sample(let s) = try value(of: "sample m \"Uhr\" frames: 5 seed: 2", variables: variables) else {
            return XCTFail("not a sample")
        }
        XCTAssertEqual(s.frameCount, 5)
        XCTAssertEqual(s.layout, Layout.openPose137)
        XCTAssertEqual(s.text, "Uhr")
        XCTAssertEqual(s.name, "Uhr (hybrid)")
        XCTAssertEqual(s.fps, 6.25)
        XCTAssertTrue(s.values.allSatisfy(\.isFinite))
        guard case .sample(let auto) = try value(of: "sample m d[0]", variables: variables) else { return XCTFail("not a sample") }
        XCTAssertGreaterThanOrEqual(auto.frameCount, 1)
        XCTAssertEqual(auto.text, "Mai")
        // The caret points at the first unknown character, not the whole string, and the list
        // of supported letters includes what the case fallback accepts.
        let unknown = failureLocation("sample m \"Mxz\"", variables: variables)
        XCTAssertEqual(unknown?.at, "1:12")
        XCTAssertTrue(unknown?.message.contains("does not know the characters 'x', 'z'") ?? false, "\(unknown!)")
        XCTAssertTrue(unknown?.message.hasSuffix("it supports: AHIMORUahimoru") ?? false, "\(unknown!)")
        let shown = try XCTUnwrap(failure(of: "sample m \"Mxz\"", variables: variables)).formatted()
        XCTAssertTrue(shown.contains("sample m \"Mxz\"\n               ^"), shown)
        XCTAssertEqual(failureLocation("let t = \"Mxz\"\nsample m t", variables: variables)?.at, "2:10", "a variable keeps its range")
        XCTAssertEqual(failureLocation("sample m \"Uhr\" frames: \"many\"", variables: variables)?.at, "1:24")
        XCTAssertEqual(failureLocation("sample m \"Uhr\" steps: 0", variables: variables)?.at, "1:23")
    }

    func testSaveThenLoadGivesTheSameSample() throws {
        var variables = try trained()
        let directory = try temporaryDirectory(self)
        variables["path"] = .string(directory.path + "/m.safetensors")
        try evaluate("save m to path", variables: variables)
        variables["m2"] = try value(of: "load path", variables: variables)
        let a = try value(of: "sample m \"Ohr\" seed: 5 frames: 6 temperature: 1", variables: variables)
        let b = try value(of: "sample m2 \"Ohr\" seed: 5 frames: 6 temperature: 1", variables: variables)
        guard case .sample(let first) = a, case .sample(let second) = b else { return XCTFail("not samples") }
        XCTAssertEqual(first.values, second.values)
        XCTAssertEqual(try model(variables["m2"]).step, 3)
        XCTAssertTrue(try evaluate("show m2", variables: variables).output.contains("loaded from"))
        // No temporary files are left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["m.safetensors"])
        // A file that is not a model says so and names the file.
        try Data("not a model".utf8).write(to: directory.appendingPathComponent("bad.safetensors"))
        variables["bad"] = .string(directory.path + "/bad.safetensors")
        let failure = failureLocation("load bad", variables: variables)
        XCTAssertEqual(failure?.at, "1:6")
        XCTAssertTrue(failure?.message.contains("bad.safetensors") ?? false, "\(failure!)")
    }

    func testEvalTableAgreesWithSequenceMetrics() throws {
        let variables = try trained(mode: "ar")
        guard case .table(let table) = try value(of: "eval m on d steps: 1 seed: 4", variables: variables) else {
            return XCTFail("not a table")
        }
        XCTAssertEqual(table.columns, ["model", "dtw_mje", "dtw_mje_norm", "dtw_mje_hands", "dtw_mje_nearest", "mje", "ttff_s", "fps", "samples"])
        XCTAssertEqual(table.rows.count, 1)
        let m = try model(variables["m"]).model!
        let words = try DataFixtures.words()
        var metrics: [SequenceMetrics] = []
        for (k, reference) in words.samples.enumerated() {
            let generated = try Sampler(model: m).sample(for: reference, options: SamplingOptions(steps: 1, seed: 4 + UInt64(k)))
            metrics.append(try XCTUnwrap(try SequenceMetrics.compare(generated, with: reference)))
        }
        let expected = try XCTUnwrap(DatasetMetrics(averaging: metrics))
        let row = table.rows[0]
        XCTAssertEqual(row[1].number!, expected.dtwMJE, accuracy: 1e-9)
        XCTAssertEqual(row[2].number!, expected.dtwMJENormalized!, accuracy: 1e-9)
        // Each word has one realisation in d: the nearest is the paired reference.
        XCTAssertEqual(row[4].number!, expected.dtwMJE, accuracy: 1e-9)
        XCTAssertEqual(row[5].number!, expected.mje, accuracy: 1e-9)
        XCTAssertGreaterThan(row[6].number!, 0)
        XCTAssertGreaterThan(row[7].number!, 0)
        XCTAssertEqual(row[8].number, 3)
        // Several models give one row each; limit: counts samples.
        guard case .table(let two) = try value(of: "eval [m, m] on d limit: 2", variables: variables) else { return XCTFail() }
        XCTAssertEqual(two.rows.count, 2)
        // Rows are named by the variables the models were written as.
        XCTAssertEqual(two.column("model")?.compactMap(\.string), ["m: ar D=16×1 step 3", "m: ar D=16×1 step 3"])
        guard case .table(let one) = try value(of: "eval m on d limit: 1", variables: variables) else { return XCTFail() }
        XCTAssertEqual(one.column("model")?.compactMap(\.string), ["m: ar D=16×1 step 3"])
        XCTAssertEqual(two.column("samples")?.compactMap(\.number), [2, 2])
    }

    func testEvalWithSeedsAddsTheDiversityOfEvalSeedsJSON() throws {
        let variables = try trained(mode: "hybrid")
        guard case .table(let table) = try value(of: "eval m on d steps: 1 seed: 2 seeds: 3 limit: 2", variables: variables) else {
            return XCTFail("not a table")
        }
        XCTAssertEqual(table.columns, EvalVerb.columns + ["seeds", "distinct_nearest", "pairwise_dtw_mje", "nearest_dtw_mje"])
        let m = try model(variables["m"]).model!
        let runner = EvaluationRunner(model: m, options: SamplingOptions(steps: 1, seed: 2))
        let expected = try XCTUnwrap(try runner.diversity(on: try DataFixtures.words(), seeds: 3, limit: 2))
        let row = table.rows[0]
        XCTAssertEqual(row[9].number, 3)
        XCTAssertEqual(row[10].number!, expected.distinctNearest, accuracy: 1e-12)
        XCTAssertEqual(row[11].number!, try XCTUnwrap(expected.pairwiseDTWMJE), accuracy: 1e-9)
        XCTAssertEqual(row[12].number!, expected.nearestDTWMJE, accuracy: 1e-9)
        // Each word of d has one realisation, so every seed's nearest is that one.
        XCTAssertEqual(row[10].number, 1)
        XCTAssertTrue(failureLocation("eval m on d seeds: 0", variables: variables)?.message.contains("seeds") ?? false)
        XCTAssertTrue(failureLocation("eval m on d seeds: 2 signer: \"own\"", variables: variables)?.message.contains("not \"own\"") ?? false)
    }

    func testEvalSkipsAndListsTextsTheModelCannotRead() throws {
        var variables = try trained(mode: "ar")
        var words = try DataFixtures.words()
        words.samples[2].text = "Qxz"
        words.samples[2].name = "unreadable"
        variables["w"] = .dataset(words)
        guard case .table(let table) = try value(of: "eval m on w", variables: variables) else { return XCTFail("not a table") }
        XCTAssertEqual(table.column("samples")?.first?.number, 2)
        XCTAssertTrue(table.footnote?.contains("skipped 1 of 3 samples") ?? false, table.footnote ?? "no footnote")
        XCTAssertTrue(table.footnote?.contains("unreadable") ?? false)
        words.samples = [words.samples[2]]
        variables["w"] = .dataset(words)
        XCTAssertTrue(failureLocation("eval m on w", variables: variables)?.message.contains("cannot read the text of any") ?? false)
    }

    func testStreamPrintsOneLinePerFrameThenASummary() throws {
        let variables = try trained()
        let (output, values) = try evaluate("stream m \"Mai\" frames: 4", variables: variables)
        let lines = output.split(separator: "\n").map(String.init)
        let frameLines = lines.filter { $0.hasPrefix("frame ") }
        XCTAssertEqual(frameLines.count, 4, output)
        XCTAssertTrue(frameLines[3].contains(" ms  progress "), output)
        XCTAssertTrue(lines.last?.hasPrefix("4 frames: first frame after ") ?? false, output)
        guard case .sample(let s)? = values.first else { return XCTFail("stream returns the sample") }
        XCTAssertEqual(s.frameCount, 4)
    }

    /// A session on a terminal with `d` and a trained `m`, whose status lines (a frame's line, a
    /// progress line) are collected; once set up, `presses(line)` true for a line presses Ctrl-C.
    private func terminalSession(presses: @escaping @Sendable (String) -> Bool = { _ in false }) throws -> (Session, () -> String) {
        let interrupt = InterruptFlag()
        final class State: @unchecked Sendable { var armed = false; var errors = "" }
        let state = State()
        let output = NotebookOutput(isTerminal: true, standardOutput: { _ in }, standardError: { text in
            guard state.armed else { return }
            state.errors += text
            if presses(text) { interrupt.set() }
        })
        let session = Session(output: output, interrupt: interrupt)
        for statement in ["let d = load \"\(DataFixtures.wordsPath)\"", "let m = model hybrid dim: 16 depth: 1 heads: 2 mlp: 32 seed: 1",
                          "train m on d steps: 2 batch: 2"] {
            XCTAssertEqual(session.submit(statement), .success)
        }
        state.armed = true
        return (session, { state.errors })
    }

    /// Ctrl-C during `stream … frames: 3000` stops within a frame and keeps the frames made so far;
    /// the cell ends as interrupted.
    func testCtrlCStopsStreamWithinAFrameAndKeepsTheFrames() throws {
        let (session, _) = try terminalSession(presses: { $0.contains("frame   2 ") })
        let started = Date()
        XCTAssertEqual(session.submit("let s = stream m \"Uhr\" frames: 3000"), .interrupted)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "3000 frames were not all made")
        guard case .sample(let kept)? = session.interpreter.variables["s"] else { return XCTFail("the frames so far are kept in s") }
        XCTAssertEqual(kept.frameCount, 3, "frames 0, 1 and 2")
        XCTAssertTrue(session.cells.last?.output.contains("stopped by Ctrl-C: kept the 3 frames made so far") ?? false,
                      session.cells.last?.output ?? "")
        XCTAssertEqual(session.cells.last?.interrupted, true)
        XCTAssertEqual(session.submit("s.frames"), .success)
        XCTAssertEqual(session.cells.last?.value?.number, 3)
    }

    /// `sample` shows progress while it runs (on a terminal at once) and stops on Ctrl-C too.
    func testSampleShowsProgressAndStopsOnCtrlC() throws {
        let (session, errors) = try terminalSession()
        XCTAssertEqual(session.submit("let s = sample m \"Uhr\" frames: 40"), .success)
        XCTAssertTrue(errors().contains("sample  1/40"), errors())
        XCTAssertTrue(errors().hasSuffix("\r\u{1B}[K"), "the progress line is erased at the end")
        XCTAssertEqual(session.cells.last?.output, "", "no line stays in the cell")

        // The first progress line (after frame 1, shown at once) presses Ctrl-C.
        let (stopped, _) = try terminalSession(presses: { $0.contains("sample  1/3000") })
        XCTAssertEqual(stopped.submit("let s = sample m \"Uhr\" frames: 3000"), .interrupted)
        guard case .sample(let kept)? = stopped.interpreter.variables["s"] else { return XCTFail("the frames so far are kept") }
        XCTAssertEqual(kept.frameCount, 1)
    }

    func testCtrlCDuringTrainingStopsAndKeepsAUsableModel() throws {
        let interrupt = InterruptFlag()
        let verb = TrainVerb(afterStep: { step in if step == 2 { interrupt.set() } })
        let (session, printed) = makeSession(verbs: [verb], interrupt: interrupt)
        let directory = try temporaryDirectory(self)
        XCTAssertEqual(session.submit("let d = load \"\(DataFixtures.wordsPath)\""), .success)
        XCTAssertEqual(session.submit("let m = model hybrid dim: 16 depth: 1 heads: 2 mlp: 32"), .success)
        let train = "train m on d steps: 500 batch: 2 checkpoint: \"\(directory.path)/m.safetensors\""
        XCTAssertEqual(session.submit(train), .interrupted)
        XCTAssertTrue(printed().contains("stopped by Ctrl-C at step 2"), printed())
        interrupt.clear()
        // Recorded as interrupted, not failed: `:save` keeps it, `:export` does not call it an error.
        XCTAssertEqual(session.cells.last.map { ($0.succeeded, $0.interrupted) }.map { [$0.0, $0.1] }, [false, true])
        XCTAssertEqual(session.submit(":save \(directory.path)/session.hsl"), .success)
        let script = try String(contentsOfFile: directory.path + "/session.hsl", encoding: .utf8)
        XCTAssertTrue(script.contains("# stopped by Ctrl-C in the session: it ran only in part there\n" + train), script)
        XCTAssertEqual(session.submit(":export \(directory.path)/session.md"), .success)
        let notebook = try String(contentsOfFile: directory.path + "/session.md", encoding: .utf8)
        XCTAssertTrue(notebook.contains("## [3] (interrupted)"), notebook)
        XCTAssertFalse(notebook.contains("(error)"), notebook)
        XCTAssertEqual(session.submit("m.step"), .success)
        XCTAssertEqual(session.cells.last?.value?.number, 2)
        XCTAssertEqual(session.submit("sample m \"Uhr\" frames: 3"), .success)
        XCTAssertEqual(session.submit("(load \"\(directory.path)/m.safetensors\").step"), .success)
        XCTAssertEqual(session.cells.last?.value?.number, 2)
    }

    func testShowAndMembers() throws {
        let variables = try DataFixtures.variables()
        let untrained = try evaluate("show (model diffusion dim: 16 depth: 1 heads: 2)", variables: variables).output
        XCTAssertTrue(untrained.contains("not fitted yet"), untrained)
        XCTAssertTrue(untrained.contains("diffusion"), untrained)
        let fitted = try evaluate("show (model hybrid on d dim: 16 depth: 1 heads: 2 experts: false)", variables: variables).output
        XCTAssertTrue(fitted.contains("parameters"), fitted)
        XCTAssertTrue(fitted.contains("vocabulary: 7 characters"), fitted)
        XCTAssertNotNil(fitted.range(of: #"experts +false"#, options: .regularExpression), fitted)
        let trainedVariables = try trained()
        let shown = try evaluate("show m", variables: trainedVariables).output
        XCTAssertTrue(shown.contains("step 3"), shown)
        XCTAssertTrue(shown.contains("3 samples of openpose137"), shown)
        guard case .table(let config) = try value(of: "m.config", variables: trainedVariables) else { return XCTFail() }
        XCTAssertEqual(config.column("setting")?.first?.string, "mode")
        // The flow settings a run was trained with are visible (the small preset's by default).
        let settings = config.column("setting")?.map(\.string) ?? []
        let flowWeight = settings.firstIndex(of: "flow_weight").flatMap { config.column("value")?[$0].number }
        XCTAssertEqual(flowWeight ?? 0, 0.01, accuracy: 1e-6)
        XCTAssertTrue(settings.contains("detach_history") && settings.contains("history_noise"), "\(settings)")
        let flowSource = settings.firstIndex(of: "flow_source").flatMap { config.column("value")?[$0].string }
        XCTAssertEqual(flowSource, "estimate")
        // A variable named like a mode does not hide the mode word.
        var clash = variables
        clash["ar"] = .number(1)
        XCTAssertEqual(try evaluate("(model ar dim: 16 depth: 1 heads: 2).mode", variables: clash).values.first?.string, "ar")
    }

    func testCompletionOffersTheModelVerbsArgumentsAndWords() {
        let completer = Completer(registry: VerbRegistry(), variables: ["m": .number(0)])
        XCTAssertEqual(completer.completions(forLinePrefix: "mod"), ["model"])
        XCTAssertTrue(completer.completions(forLinePrefix: "model ").contains("hybrid"))
        XCTAssertTrue(completer.completions(forLinePrefix: "model hybrid ").contains("dim:"))
        XCTAssertEqual(completer.completions(forLinePrefix: "model hybrid tokens: "), ["joint", "m", "part"])
        XCTAssertTrue(completer.completions(forLinePrefix: "train m ").contains("on"))
        XCTAssertEqual(completer.completions(forLinePrefix: "train m on d ch"), ["checkpoint:"])
        XCTAssertEqual(completer.completions(forLinePrefix: "sample m \"x\" te"), ["temperature:"])
        XCTAssertEqual(completer.completions(forLinePrefix: "stream m \"x\" fr"), ["frames:"])
    }

    /// `sample` and `stream` of a list of texts: a list of samples in order, the k-th equal to
    /// the text sampled alone with seed + k; bad lists and `batch:` refused where they were written.
    func testSampleAndStreamOfAListGiveAListEqualToEachAlone() throws {
        let variables = try trained()
        let texts = ["Uhr", "Ohr", "Mai"]
        for verb in ["sample", "stream"] {
            let list = try value(of: "\(verb) m [\"Uhr\", \"Ohr\", \"Mai\"] seed: 3 frames: 4 batch: 2", variables: variables)
            guard case .list(let values) = list, values.count == 3 else { return XCTFail("\(verb): \(list)") }
            for (k, text) in texts.enumerated() {
                guard case .sample(let together) = values[k],
                      case .sample(let alone) = try value(of: "sample m \"\(text)\" seed: \(3 + k) frames: 4", variables: variables) else {
                    return XCTFail("\(verb): not samples")
                }
                XCTAssertEqual(together.text, text)
                XCTAssertEqual(together.frameCount, 4)
                var worst: Float = 0
                for (a, b) in zip(together.values, alone.values) { worst = max(worst, abs(a - b) / max(1, abs(a), abs(b))) }
                XCTAssertLessThan(worst, 1e-4, "\(verb) \(text)")
            }
        }
        let streamed = try evaluate("stream m [\"Uhr\", \"Ohr\"] frames: 3", variables: variables).output
        XCTAssertTrue(streamed.contains("[0] 'Uhr': 3 frames") && streamed.contains("[1] 'Ohr': 3 frames"), streamed)
        XCTAssertTrue(failureLocation("sample m []", variables: variables)?.message.contains("at least one text") ?? false)
        XCTAssertTrue(failureLocation("sample m [\"Uhr\", 3]", variables: variables)?.message.contains("holds a number at [1]") ?? false)
        XCTAssertTrue(failureLocation("sample m [\"Uhr\", \"Qq\"]", variables: variables)?.message.contains("text [1]") ?? false)
        XCTAssertEqual(failureLocation("sample m \"Uhr\" batch: 2", variables: variables)?.message, "batch: goes with a list of texts")
        XCTAssertNotNil(failureLocation("sample m [\"Uhr\"] batch: 0", variables: variables))
    }
}
