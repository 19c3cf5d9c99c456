import Foundation
import PoseData
import XCTest
@testable import Notebook

final class ExportVerbTests: XCTestCase {
    private func exported(_ statement: String, variables: [String: Value]) throws -> FileResult {
        guard case .file(let file) = try value(of: statement, variables: variables) else {
            throw NotebookError("export returned no file")
        }
        return file
    }

    func testSampleToJSONAndPoseReadsBack() throws {
        var variables = try DataFixtures.variables()
        let directory = try temporaryDirectory(self).appendingPathComponent("new/dir")
        variables["out"] = .string(directory.path)
        let json = try exported("export s to out + \"/uhr.json\"", variables: variables)
        XCTAssertEqual(json.path, directory.path + "/uhr.json")
        XCTAssertEqual(json.kind, .data)
        let reloaded = try PoseIO.load(contentsOf: URL(fileURLWithPath: json.path))
        guard case .sample(let original) = variables["s"] else { return XCTFail() }
        XCTAssertEqual(reloaded.count, 1)
        XCTAssertEqual(reloaded[0].values, original.values)
        XCTAssertEqual(reloaded[0].text, "Uhr")

        let pose = try exported("export s to out + \"/uhr.pose\"", variables: variables)
        let back = try PoseIO.load(contentsOf: URL(fileURLWithPath: pose.path))
        XCTAssertEqual(back[0].frameCount, 12)
        XCTAssertEqual(back[0].values.count, original.values.count)
        for (a, b) in zip(back[0].values, original.values) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        XCTAssertEqual(try value(of: "(load out + \"/uhr.pose\")[0].frames", variables: variables).number, 12)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary files are left behind")
    }

    func testDatasetToPickleAndToADirectoryOfPoseFiles() throws {
        var variables = try DataFixtures.variables()
        let directory = try temporaryDirectory(self)
        variables["out"] = .string(directory.path)
        let pickle = try exported("export d to out + \"/words.pkl.gz\"", variables: variables)
        XCTAssertEqual(try PoseIO.load(contentsOf: URL(fileURLWithPath: pickle.path)), try DataFixtures.words())
        let folder = try exported("export d to out + \"/poses/\"", variables: variables)
        XCTAssertEqual(folder.kind, .directory)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/poses").sorted(),
                       ["gsg-mai-0.pose", "gsg-ohr-0.pose", "gsg-uhr-0.pose"])
    }

    func testErrorsSayWhatToDo() throws {
        var variables = try DataFixtures.variables()
        variables["out"] = .string(try temporaryDirectory(self).path)
        let many = try XCTUnwrap(failureLocation("export d to out + \"/all.pose\"", variables: variables))
        XCTAssertEqual(many.message, "a .pose file holds one sequence, but the dataset has 3 samples")
        XCTAssertEqual(many.at, "1:13")
        XCTAssertTrue(many.hint?.contains("end the path in /") == true)
        let unknown = try XCTUnwrap(failureLocation("export s to out + \"/uhr.txt\"", variables: variables))
        XCTAssertEqual(unknown.message, "cannot tell the format of '\(variables["out"]!.plainText)/uhr.txt' from its name")
        XCTAssertEqual(failureLocation("export s to out + \"/uhr.csv\"", variables: variables)?.message,
                       "a .csv file holds a table, not a sample")
    }
}
