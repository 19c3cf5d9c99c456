import XCTest
@testable import PoseData

final class LayoutValidationTests: XCTestCase {
    private func twoPartLayout(bones: [Layout.Bone] = [Layout.Bone(0, 1)]) -> Layout {
        Layout(name: "tiny", joints: ["a", "b", "c"],
               parts: [.init(name: "p", joints: [0, 1]), .init(name: "q", joints: [2])], bones: bones)
    }

    func testValidLayoutPasses() throws {
        try twoPartLayout().validate()
    }

    func testJointInTwoPartsIsRejected() {
        var layout = twoPartLayout()
        layout.parts[1].joints = [1, 2]
        XCTAssertThrowsError(try layout.validate()) { error in
            XCTAssertTrue("\(error)".contains("is in parts 'p' and 'q'"), "\(error)")
        }
    }

    func testBoneOutsideJointsIsRejected() {
        XCTAssertThrowsError(try twoPartLayout(bones: [Layout.Bone(0, 7)]).validate())
    }

    func testSequenceRejectsPartialFrames() {
        XCTAssertThrowsError(try PoseSequence(layout: twoPartLayout(), fps: 25, values: [Float](repeating: 0, count: 10)))
    }
}
