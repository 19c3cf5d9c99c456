import PoseData
import XCTest
@testable import Notebook

final class ShowTests: XCTestCase {
    func testSampleShowsTextGlossFramesAndConfidencePerPart() throws {
        let output = try evaluate("show s", variables: ["s": .sample(try tinySample(frames: 4))]).output
        XCTAssertTrue(output.contains("name    s1\ntext    Baum\ngloss   BAUM\n"), output)
        XCTAssertTrue(!output.contains("signer"), output)
        XCTAssertTrue(output.contains("frames  4 at 25 fps (0.16 s)"), output)
        XCTAssertTrue(output.contains("layout  tiny, 5 joints: body 3, hand 2"), output)
        XCTAssertTrue(output.contains("extent  x 0…3, y 0…4 (joints present)"), output)
        // body: all 0.5; hand: joint 4 missing in frames 0 and 2 → 2 of 8 missing, the rest 0.5.
        XCTAssertTrue(output.contains("""
            part  joints  missing  mean confidence
            ────  ──────  ───────  ───────────────
            body       3  0.0%                 0.5
            hand       2  25.0%                0.5
            """), output)
    }

    func testDatasetShowsCountsFramesFpsAndTexts() throws {
        let output = try evaluate("show d rows: 2", variables: ["d": .dataset(try tinyDataset())]).output
        XCTAssertTrue(output.contains("samples   3"), output)
        XCTAssertTrue(output.contains("frames    20 in all; per sample min 4, mean 6.667, max 10"), output)
        XCTAssertTrue(output.contains("fps       25 fps"), output)
        XCTAssertTrue(output.contains("texts     3 of 3 samples; 3 distinct"), output)
        XCTAssertTrue(output.contains("""
            #  name  frames  seconds  text
            ─  ────  ──────  ───────  ────
            0  a          4     0.16  Baum
            1  b          6     0.24  Haus
            first 2 of 3 samples
            """), output)
        XCTAssertTrue(output.contains("texts     3 of 3 samples; 3 distinct: Baum, Haus, Guten Morgen\n"), output)
        XCTAssertFalse(output.contains("\n2  c"), "only the first 2 rows")
    }

    func testTablesAlignNumbersRight() {
        var table = Table(title: "results", columns: ["model", "DTW-MJE"])
        table.append([.string("ar"), .number(10.25)])
        table.append([.string("hybrid"), .number(9)])
        XCTAssertEqual(table.rendered(), """
            results
            model   DTW-MJE
            ──────  ───────
            ar        10.25
            hybrid        9
            """)
        XCTAssertEqual(Value.table(table).member("DTW-MJE")?.list?.map(\.number), [10.25, 9])
    }

    func testListsAndScalars() throws {
        XCTAssertEqual(try evaluate("show [\"a\", 2] rows: 1").output, "#  value\n─  ─────\n0  a\nfirst 1 of 2 elements\n")
        XCTAssertEqual(try evaluate("show \"Baum\"").output, "Baum\n")
        XCTAssertEqual(try evaluate("show 0.5").output, "0.5\n")
        XCTAssertEqual(try evaluate("print 1 \"a\" [1, \"b\"] true none").output, "1 a [1, \"b\"] true none\n")
    }

    func testDisplayOfEchoedValues() throws {
        XCTAssertEqual(Value.string("a\"b").displayText, "\"a\\\"b\"")
        XCTAssertEqual(Value.number(3e-4).displayText, "0.0003")
        XCTAssertEqual(Value.number(1234567).displayText, "1234567")
        XCTAssertEqual(Value.range(NumberRange(start: 0, end: 10, step: 2)).displayText, "range 0 10 step: 2 (5 numbers)")
        XCTAssertEqual(Value.sample(try tinySample(frames: 4)).displayText,
                       "sample 's1' \"Baum\": 4 frames at 25 fps (0.16 s), layout tiny")
        XCTAssertEqual(Value.dataset(try tinyDataset()).displayText,
                       "dataset: 3 samples, 20 frames, 25 fps, layout tiny (5 joints)")
    }

    func testObjectsShowThemselves() throws {
        final class Model: NotebookObject {
            let typeName = "model"
            let summary = "model hybrid, 1.2 M parameters"
            func show() -> String { "config: dim 128" }
            var memberNames: [String] { ["steps"] }
            func member(_ name: String) -> Value? { name == "steps" ? .number(200) : nil }
        }
        let variables: [String: Value] = ["m": .object(Model())]
        XCTAssertEqual(try evaluate("show m", variables: variables).output, "config: dim 128\n")
        XCTAssertEqual(try value(of: "m.steps", variables: variables).number, 200)
        XCTAssertEqual(try value(of: "m", variables: variables).displayText, "model hybrid, 1.2 M parameters")
        XCTAssertEqual(failure(of: "m.step", variables: variables)?.message, "a model has no member 'step' — did you mean 'steps'?")
    }
}
