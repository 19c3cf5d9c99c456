import Foundation
import XCTest
@testable import Platform

final class InterruptFlagTests: XCTestCase {
    func testCountsSignalsAndClearingKeepsATerminationRequest() {
        let flag = InterruptFlag()
        XCTAssertFalse(flag.isSet)
        XCTAssertEqual(flag.signal(), 1)
        XCTAssertEqual(flag.requestTermination(by: SIGTERM), 2)
        XCTAssertTrue(flag.isSet)
        XCTAssertEqual(flag.terminationSignal, SIGTERM)
        flag.clear()
        XCTAssertFalse(flag.isSet)
        XCTAssertEqual(flag.terminationSignal, SIGTERM, "the process should still end")
    }

    func testExitStatusIsTheShellsConvention() {
        XCTAssertEqual(InterruptHandling.exitStatus(for: SIGINT), 130)
        XCTAssertEqual(InterruptHandling.exitStatus(for: SIGTERM), 143)
    }
}
