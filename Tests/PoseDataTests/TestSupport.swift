import Foundation
import XCTest
@testable import PoseData

/// Locations of the committed fixtures.
enum TestData {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// A JSON fixture as Foundation objects. It goes through this module's parser: Foundation's
    /// parser on Linux rounds some doubles wrongly in the last digit.
    static func json(_ name: String) throws -> Any {
        var parser = JSONParser(bytes: [UInt8](try Data(contentsOf: fixture(name))), file: name)
        return try parser.parseValue().foundationObject
    }

    /// A fresh temporary directory, removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("posedata-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A small layout: two parts, a bone inside each and one across.
    static let tinyLayout = Layout(name: "tiny", joints: ["a", "b", "c", "d"],
                                   parts: [.init(name: "upper", joints: [0, 1]), .init(name: "lower", joints: [2, 3])],
                                   bones: [.init(0, 1), .init(2, 3), .init(1, 2)])

    /// A sequence in `layout` whose values are a simple function of frame, joint and channel.
    static func sequence(layout: Layout = tinyLayout, frames: Int, fps: Double = 25, name: String? = nil,
                         missing: (Int, Int) -> Bool = { _, _ in false }) throws -> PoseSequence {
        var values: [Float] = []
        for t in 0..<frames {
            for j in 0..<layout.jointCount {
                if missing(t, j) {
                    values += [0, 0, 0]
                } else {
                    values += [Float(10 * t + j), Float(-5 * t) + Float(j) * 0.5, 0.5 + Float((t + j) % 5) / 10]
                }
            }
        }
        return try PoseSequence(layout: layout, fps: fps, values: values, name: name)
    }
}

extension Array where Element == Any {
    var doubles: [Double] { map { ($0 as! NSNumber).doubleValue } }
}

extension JSONValue {
    /// The value as Foundation objects: numbers become `Int` when integral, else `Double`.
    var foundationObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .number(let value): return NSNumber(value: value)
        case .string(let value): return value
        case .array(let values): return values.map(\.foundationObject)
        case .object(let members):
            return Dictionary(members.map { ($0.key, $0.value.foundationObject) }, uniquingKeysWith: { first, _ in first })
        }
    }
}
