import XCTest
@testable import Platform

final class HalfPrecisionTests: XCTestCase {
    func testKnownValues() {
        XCTAssertEqual(Float(binary16BitPattern: 0x3C00), 1)
        XCTAssertEqual(Float(binary16BitPattern: 0xC000), -2)
        XCTAssertEqual(Float(binary16BitPattern: 0x7BFF), 65504)
        XCTAssertEqual(Float(binary16BitPattern: 0x0001), Float(sign: .plus, exponent: -24, significand: 1))
        XCTAssertEqual(Float(binary16BitPattern: 0x7C00), .infinity)
        XCTAssertEqual(Float(binary16BitPattern: 0xFC00), -.infinity)
        XCTAssertTrue(Float(binary16BitPattern: 0x7E00).isNaN)
        XCTAssertEqual(Float(binary16BitPattern: 0x8000).bitPattern, (-0.0 as Float).bitPattern)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Every one of the 65,536 patterns against the standard library's `Float16` where it exists.
    func testEveryPatternMatchesFloat16() {
        for bits in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let widened = Float(binary16BitPattern: bits)
            if expected.isNaN {
                XCTAssertTrue(widened.isNaN, "0x\(String(bits, radix: 16))")
            } else {
                XCTAssertEqual(widened.bitPattern, expected.bitPattern, "0x\(String(bits, radix: 16))")
            }
        }
    }
    #endif
}
