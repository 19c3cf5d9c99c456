import Foundation
import XCTest
@testable import PoseData

/// The format dispatcher and the `convert` command's library half, errors included.
final class PoseIOTests: XCTestCase {
    func testFormatsByName() throws {
        XCTAssertEqual(try PoseIO.format(of: URL(fileURLWithPath: "/x/a.JSON")), .json)
        XCTAssertEqual(try PoseIO.format(of: URL(fileURLWithPath: "/x/a.pose")), .pose)
        XCTAssertEqual(try PoseIO.format(of: URL(fileURLWithPath: "/x/a.pkl.gz")), .pickle)
        XCTAssertEqual(try PoseIO.format(of: URL(fileURLWithPath: "/x/out/", isDirectory: true)), .poseDirectory)
        XCTAssertThrowsError(try PoseIO.format(of: URL(fileURLWithPath: "/x/a.csv"))) { error in
            XCTAssertTrue("\(error)".contains("unknown file type"), "\(error)")
        }
    }

    func testPickleExtensionsGoToThePickleCode() throws {
        XCTAssertThrowsError(try PoseIO.load(contentsOf: URL(fileURLWithPath: "/nonexistent/a.pkl.gz"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/a.pkl.gz"), "\(error)")
        }
        let dataset = try PoseIO.load(contentsOf: TestData.fixture("holistic-cut.pose"), layout: .openPose137)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("poseio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("round.pkl")
        try PoseIO.save(dataset, to: url)
        let back = try PoseIO.load(contentsOf: url)
        XCTAssertEqual(back.layout, .openPose137)
        XCTAssertEqual(back[0].values, dataset[0].values)
        XCTAssertEqual(back[0].name, dataset[0].name)
    }

    func testPoseLoadNamesTheSampleAndConvertsOnRequest() throws {
        let own = try PoseIO.load(contentsOf: TestData.fixture("holistic-cut.pose"))
        XCTAssertEqual(own[0].name, "holistic-cut")
        XCTAssertEqual(own.layout.jointCount, 586)
        let openPose = try PoseIO.load(contentsOf: TestData.fixture("holistic-cut.pose"), layout: .openPose137)
        XCTAssertEqual(openPose.layout, .openPose137)
        XCTAssertEqual(openPose[0].name, "holistic-cut")
    }

    func testLayoutNames() throws {
        XCTAssertEqual(try PoseIO.layout(named: "OpenPose-137"), .openPose137)
        XCTAssertThrowsError(try PoseIO.layout(named: "coco")) { error in
            XCTAssertTrue("\(error)".contains("unknown layout 'coco'"), "\(error)")
        }
        XCTAssertThrowsError(try PoseIO.layout(named: "/no/such/layout.json")) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
    }

    func testConvertPoseToJSONAndBackToPoseDirectory() throws {
        let directory = try TestData.temporaryDirectory(self)
        let json = directory.appendingPathComponent("clip.json")
        let summary = try PoseConversion(input: TestData.fixture("holistic-cut.pose"), output: json,
                                         layout: "openpose137", fps: 15).run()
        XCTAssertTrue(summary.contains("1 sample (2 frames, layout 'openpose137'"), summary)
        let dataset = try PoseDataset(jsonContentsOf: json)
        XCTAssertEqual(dataset[0].fps, 15)
        XCTAssertEqual(dataset[0].frameCount, 2)

        // Two samples: one .pose refuses, a directory takes both.
        var two = dataset
        two.samples.append(dataset[0])
        try two.writeJSON(to: json)
        let single = directory.appendingPathComponent("one.pose")
        XCTAssertThrowsError(try PoseConversion(input: json, output: single).run()) { error in
            XCTAssertTrue("\(error)".contains("has 2 samples; pick one"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: single.path))
        try PoseConversion(input: json, output: single, sample: "1").run()
        XCTAssertEqual(try PoseIO.load(contentsOf: single)[0].values, dataset[0].values)
        let folder = URL(fileURLWithPath: directory.appendingPathComponent("poses").path + "/", isDirectory: true)
        try PoseConversion(input: json, output: folder).run()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(names, ["holistic-cut.pose", "holistic-cut_2.pose"])
        let reloaded = try PoseIO.load(contentsOf: folder)
        XCTAssertEqual(reloaded.count, 2)
        XCTAssertEqual(reloaded.layout, .openPose137)
        XCTAssertEqual(reloaded[1].values, dataset[0].values)
    }

    func testPoseToPoseKeepsEverything() throws {
        let output = try TestData.temporaryDirectory(self).appendingPathComponent("copy.pose")
        try PoseConversion(input: TestData.fixture("version01.pose"), output: output).run()
        var copy = try PoseFile(contentsOf: output)
        let original = try PoseFile(contentsOf: TestData.fixture("version01.pose"))
        XCTAssertEqual(copy.peopleCount, 2)
        XCTAssertEqual(copy.components[1].format, "XYZC")
        copy.version = original.version
        XCTAssertEqual(copy, original)
    }

    func testConvertErrorsSayWhatToDo() throws {
        let directory = try TestData.temporaryDirectory(self)
        let cases: [(PoseConversion, String)] = [
            (PoseConversion(input: directory.appendingPathComponent("missing.pose"), output: directory.appendingPathComponent("x.json")),
             "no such file"),
            (PoseConversion(input: TestData.fixture("holistic-cut.pose"), output: directory.appendingPathComponent("x.txt")),
             "unknown file type"),
            (PoseConversion(input: TestData.fixture("holistic-cut.pose"), output: directory.appendingPathComponent("x.json"), layout: "coco"),
             "unknown layout"),
            (PoseConversion(input: TestData.fixture("holistic-cut.pose"), output: directory.appendingPathComponent("x.json"), fps: -1),
             "positive number"),
            (PoseConversion(input: TestData.fixture("holistic-cut.pose"), output: directory.appendingPathComponent("x.json"), sample: "3"),
             "has 1 samples"),
            (PoseConversion(input: TestData.fixture("holistic-cut.pose"), output: directory.appendingPathComponent("x.json"), sample: "nobody"),
             "no sample"),
            (PoseConversion(input: TestData.fixture("openpose-posefmt.pose"), output: directory.appendingPathComponent("x.json"),
                            layout: TestData.fixture("normalization-dataset.json").path),
             "\"name\" must be a string"),
            (PoseConversion(input: TestData.fixture("normalization-dataset.json"), output: directory.appendingPathComponent("no/such/dir/x.json")),
             "does not exist"),
        ]
        for (conversion, fragment) in cases {
            XCTAssertThrowsError(try conversion.run(), fragment) { error in
                XCTAssertTrue("\(error)".contains(fragment), "expected '\(fragment)' in: \(error)")
            }
        }
        // Nothing half-written is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }

    func testLayoutFromJSONFileConvertsByName() throws {
        let directory = try TestData.temporaryDirectory(self)
        let layoutURL = directory.appendingPathComponent("hands.json")
        let hands = Layout(name: "right_hand_only", joints: Array(Layout.openPose137.joints[116..<137]),
                           parts: [.init(name: "right_hand", joints: Array(0..<21))], bones: [])
        try hands.write(to: layoutURL)
        let output = directory.appendingPathComponent("hands.json.out.json")
        try PoseConversion(input: TestData.fixture("openpose-posefmt.pose"), output: output, layout: layoutURL.path).run()
        let converted = try PoseDataset(jsonContentsOf: output)
        let original = try PoseFile(contentsOf: TestData.fixture("openpose-posefmt.pose")).sequence()
        XCTAssertEqual(converted.layout, hands)
        XCTAssertTrue(converted[0].point(frame: 1, joint: 4) == original.point(frame: 1, joint: 120))
    }

    /// Every format is written through one atomic writer: a missing directory is named (not the
    /// writer's temporary file), and a temporary left by a killed writer of the same target is
    /// removed by the next write.
    func testWritesNameAMissingDirectoryAndClearStaleTemporaries() throws {
        let directory = try TestData.temporaryDirectory(self)
        let dataset = try PoseIO.load(contentsOf: TestData.fixture("normalization-dataset.json"))
        let missing = directory.appendingPathComponent("no/such/dir")
        for name in ["x.pkl", "x.json", "x.pose"] {
            XCTAssertThrowsError(try PoseIO.save(dataset.subset([0]), to: missing.appendingPathComponent(name))) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("the directory \(missing.path) does not exist"), message)
                XCTAssertFalse(message.contains(".tmp"), "names the directory, not a temporary: \(message)")
            }
        }
        let killed = Process()
        killed.executableURL = URL(fileURLWithPath: "/bin/true")
        try killed.run()
        killed.waitUntilExit()
        let stale = directory.appendingPathComponent(".out.pkl.tmp-\(killed.processIdentifier)-3")
        FileManager.default.createFile(atPath: stale.path, contents: Data(count: 64))
        try PoseIO.save(dataset, to: directory.appendingPathComponent("out.pkl"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["out.pkl"])
    }
}
