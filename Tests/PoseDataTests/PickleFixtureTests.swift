import Foundation
import XCTest
@testable import PoseData

/// Every committed fixture (scripts/make_pickle_fixtures.py) loads with the values Python's pickle gives.
final class PickleFixtureTests: XCTestCase {
    private func expectations() throws -> [String: [[String: Any]]] {
        let object = try PickleTestSupport.json(PickleTestSupport.fixture("expected.json"))
        return try XCTUnwrap(object as? [String: [[String: Any]]])
    }

    func testEveryFixtureMatchesPython() throws {
        let expected = try expectations()
        XCTAssertEqual(expected.count, 22, "one entry per fixture file")
        for (file, samples) in expected.sorted(by: { $0.key < $1.key }) {
            let dataset: PoseDataset
            do {
                dataset = try PickleDataset.load(contentsOf: PickleTestSupport.fixture(file))
            } catch {
                XCTFail("\(file): \(error)")
                continue
            }
            XCTAssertEqual(dataset.count, samples.count, "\(file) sample count")
            for (index, (sequence, figures)) in zip(dataset.samples, samples).enumerated() {
                PickleTestSupport.check(sequence, against: figures, "\(file) sample \(index)")
            }
        }
    }

    func testLayoutFollowsJointCount() throws {
        let generic = try PickleDataset.load(contentsOf: PickleTestSupport.fixture("protocol4.pkl"))
        XCTAssertEqual(generic.layout, Layout.generic(jointCount: 5))
        XCTAssertEqual(generic.layout.joints.first, "joint_0")
        XCTAssertEqual(generic.layout.parts.map(\.name), ["body"])
        XCTAssertTrue(generic.layout.bones.isEmpty)

        let authors = try PickleDataset.load(contentsOf: PickleTestSupport.fixture("authors-torch-cut.pkl"))
        XCTAssertEqual(authors.layout, Layout.openPose137)
        XCTAssertEqual(authors[0].fps, PickleDataset.defaultFPS)
        XCTAssertNil(authors[0].name)
    }

    func testCallerLayoutMustMatchJointCount() throws {
        let custom = Layout(name: "five", joints: ["a", "b", "c", "d", "e"],
                            parts: [.init(name: "all", joints: [0, 1, 2, 3, 4])], bones: [.init(0, 1)])
        let dataset = try PickleDataset.load(contentsOf: PickleTestSupport.fixture("protocol2.pkl"), layout: custom)
        XCTAssertEqual(dataset.layout, custom)
        XCTAssertThrowsError(try PickleDataset.load(contentsOf: PickleTestSupport.fixture("protocol2.pkl"), layout: .openPose137)) { error in
            XCTAssertTrue("\(error)".contains("has 5 joints, but the layout 'openpose137' has 137"), "\(error)")
        }
    }

    func testDictOfSamplesUsesKeysAsNames() throws {
        let dataset = try PickleDataset.load(contentsOf: PickleTestSupport.fixture("dict-protocol4.pkl"))
        XCTAssertEqual(dataset.samples.map(\.name), ["fixture-0", "fixture-1", "fixture-2"])
    }

    func testReaderRebuildsPlainValuesOfTheDictFixture() throws {
        let value = try PickleReader.read(try PickleTestSupport.bytes(PickleTestSupport.fixture("dict-protocol2.pkl")))
        let extra = try XCTUnwrap(value["fixture-0"]?["extra"])
        XCTAssertEqual(extra["blob"], .bytes([0x00, 0xFF]))
        XCTAssertEqual(extra["frozen"], .frozenSet([.int(1)]))
        guard case .set(let tags) = extra["tags"] else { return XCTFail("tags: \(String(describing: extra["tags"]))") }
        XCTAssertEqual(Set(tags.compactMap(\.stringValue)), ["a", "b"])
        // 2**80 and -2**70 as little-endian two's complement.
        XCTAssertEqual(extra["big"], .bigInt([UInt8](repeating: 0, count: 10) + [1]))
        XCTAssertEqual(extra["neg"], .bigInt([UInt8](repeating: 0, count: 8) + [0xC0]))
    }

    func testTorchViewHonoursOffsetAndStrides() throws {
        let dataset = try PickleDataset.load(contentsOf: PickleTestSupport.fixture("authors-torch-cut.pkl"))
        // Sample 1 is stored transposed after 7 unrelated elements; its values must not start with 0, 1, 2.
        XCTAssertEqual(dataset[1].frameCount, 5)
        XCTAssertNotEqual(Array(dataset[1].values.prefix(3)), [0, 1, 2])
        XCTAssertEqual(dataset[1].textFeatures?.rows, 3)
    }
}
