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

final class OpenPose137Tests: XCTestCase {
    func testShape() throws {
        let layout = Layout.openPose137
        try layout.validate()
        XCTAssertEqual(layout.jointCount, 137)
        XCTAssertEqual(layout.parts.map(\.name), ["body", "face", "left_hand", "right_hand"])
        XCTAssertEqual(layout.parts.map(\.joints.count), [25, 70, 21, 21])
        XCTAssertEqual(layout.joints[4], "right_wrist")
        XCTAssertEqual(layout.joints[116], "right_hand_wrist")
        // BODY_25 has 24 render bones, the face 63 contour bones, each hand 20.
        XCTAssertEqual(layout.bones.count, 24 + 63 + 40)
        XCTAssertTrue(layout.bones.contains(Layout.Bone(116, 117)))
    }
}
