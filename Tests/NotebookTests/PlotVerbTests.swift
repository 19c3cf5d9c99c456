import Foundation
import Render
import XCTest
@testable import Notebook

final class PlotVerbTests: XCTestCase {
    func testListOfNumbersBecomesAnAttachedPNG() throws {
        let directory = try temporaryDirectory(self)
        let (session, printed) = makeSession()
        let path = directory.appendingPathComponent("plots/loss.png").path
        XCTAssertEqual(session.submit("plot [1, 0.5, 0.3, 0.2] to \"\(path)\" title: \"loss\" log: true"), .success, printed())
        let canvas = try PNG.read(from: URL(fileURLWithPath: path))
        XCTAssertEqual([canvas.width, canvas.height], [640, 400])
        XCTAssertEqual(session.cells.last?.artifacts, [FileResult(path: path, kind: .image, caption: "loss")])
    }

    func testTablesPlotColumnsAgainstStepSkippingMissingValues() throws {
        let directory = try temporaryDirectory(self)
        var history = Table(columns: ["step", "loss", "dev_dtw"])
        history.append([.number(0), .number(1), .number(30)])
        history.append([.number(100), .number(0.5), .none])
        history.append([.number(200), .number(0.25), .number(20)])
        let variables: [String: Value] = ["h": .table(history), "out": .string(directory.path)]
        let file = try value(of: "plot h to out + \"/h.png\" y: [\"loss\", \"dev_dtw\"]", variables: variables)
        XCTAssertEqual(file.member("kind")?.string, "image")
        XCTAssertNoThrow(try PNG.read(from: URL(fileURLWithPath: directory.path + "/h.png")))
        let lists = try value(of: "plot [[1, 2], [3, 1]] to out + \"/l.png\" names: [\"a\", \"b\"]", variables: variables)
        XCTAssertEqual(lists.member("path")?.string, directory.path + "/l.png")
        XCTAssertNoThrow(try value(of: "plot (range 10) to out + \"/r.png\"", variables: variables))
    }

    func testPlotErrorsPointAtTheArgument() throws {
        var history = Table(columns: ["step", "loss"])
        history.append([.number(0), .number(1)])
        let variables: [String: Value] = ["h": .table(history), "out": .string(try temporaryDirectory(self).path)]
        let column = try XCTUnwrap(failureLocation("plot h to out + \"/x.png\" y: [\"los\"]", variables: variables))
        XCTAssertEqual(column.message, "the table has no column 'los' — did you mean 'loss'?")
        XCTAssertEqual(column.at, "1:29")
        let element = try XCTUnwrap(failureLocation("plot [1, \"a\"] to out + \"/x.png\"", variables: variables))
        XCTAssertEqual(element.message, "plot needs numbers; element 1 is a string")
        XCTAssertEqual(element.at, "1:6")
        XCTAssertEqual(failureLocation("plot [[], [none]] to out + \"/x.png\"", variables: variables)?.message, "plot has no numbers to draw")
        let png = try XCTUnwrap(failureLocation("plot [1] to out + \"/x.jpg\"", variables: variables))
        XCTAssertTrue(png.message.hasPrefix("plot writes PNG images"), png.message)
        XCTAssertEqual(failureLocation("plot [[1], [2]] to out + \"/x.png\" names: [\"a\"]", variables: variables)?.message,
                       "plot draws 2 series but got 1 names")
    }
}
