import XCTest
@testable import Tensors

/// Every kernel path the CPU supports against the double-precision references of
/// `RowTimesTransposedTests` and `RowKernelTests`, whatever path the process runs on. A path the
/// CPU lacks is skipped, and the skip says so (it shows in the test output and the skipped count).
final class KernelPathTests: XCTestCase {
    func testAVX512Kernels() throws { try checkKernels(on: .avx512) }
    func testAVX2Kernels() throws { try checkKernels(on: .avx2) }
    func testPortableKernels() throws { try checkKernels(on: .portable) }

    func checkKernels(on path: KernelPath) throws {
        guard path.isSupported else {
            throw XCTSkip("the \(path) kernels were not tested: this CPU lacks \(path.requirement)")
        }
        // Rows 1…8 and 13 (4-row tiles and the rows after them), columns around the 6-wide tiles,
        // K around both vector widths (8 and 16 floats), so every tail is taken on either path.
        for m in [1, 2, 3, 4, 5, 6, 7, 8, 13] {
            for n in [1, 5, 6, 7, 12, 13] {
                for k in [1, 7, 8, 9, 15, 16, 17, 33, 40] {
                    RowTimesTransposedTests.check(on: path, m: m, n: n, k: k, seed: UInt64(m * 1000 + n * 50 + k))
                }
            }
        }
        // Enough columns for the first row tile of a group to request the rows of a later group
        // (RowsAhead.swift: 6 columns per group, 2 groups ahead, so from 18 columns on), with the
        // last requested group ending at the last column or just before it, and K around the
        // 16-float line the requests advance by.
        for m in [1, 4, 5] {
            for n in [17, 18, 19, 23, 24, 25, 31] {
                for k in [16, 17, 31, 32, 47] {
                    RowTimesTransposedTests.check(on: path, m: m, n: n, k: k, seed: UInt64(m * 7000 + n * 60 + k))
                }
            }
        }
        RowTimesTransposedTests.check(on: path, m: 9, n: 14, k: 35, pad: 3, accumulate: true)
        RowTimesTransposedTests.check(on: path, m: 3, n: 20, k: 23, pad: 5)
        // Large enough to split the columns over the cores.
        RowTimesTransposedTests.check(on: path, m: 70, n: 300, k: 256, seed: 2)
        RowTimesTransposedTests.check(on: path, m: 25, n: 1537, k: 512, accumulate: true, seed: 3)
        RowKernelTests.checkFewRowProducts(on: path)
        RowKernelTests.checkSoftmaxRows(on: path)
        if path != .portable { checkPackedProducts(on: path) }
    }

    /// The packed kernels (`PackedProductKernel.swift`): rows around the tall tiles (12 rows with
    /// AVX-512, 6 with AVX2), the 4-row tiles and single rows after them; columns around the panel
    /// widths (32, 16) so the last panel is full, partial or one column; K from 1; blocks of rows.
    func checkPackedProducts(on path: KernelPath) {
        for m in [1, 3, 4, 5, 6, 7, 11, 12, 13, 17, 24, 29] {
            for n in [1, 15, 16, 17, 31, 32, 33, 48, 70] {
                for k in [1, 5, 16, 37] {
                    RowTimesTransposedTests.check(on: path, m: m, n: n, k: k, packed: true, seed: UInt64(m * 9000 + n * 70 + k))
                }
            }
        }
        RowTimesTransposedTests.check(on: path, m: 13, n: 40, k: 35, pad: 3, accumulate: true, packed: true)
        RowTimesTransposedTests.check(on: path, m: 7, n: 33, k: 9, pad: 5, packed: true)
        // More rows than one block of rows (384), and a narrow W whose rows are split over the cores instead.
        RowTimesTransposedTests.check(on: path, m: 400, n: 70, k: 33, accumulate: true, packed: true, seed: 5)
        RowTimesTransposedTests.check(on: path, m: 900, n: 20, k: 300, packed: true, seed: 6)
        // Large enough to split the panels over the cores, and (inside a task) to share them.
        RowTimesTransposedTests.check(on: path, m: 70, n: 300, k: 256, packed: true, seed: 2)
        RowTimesTransposedTests.check(on: path, m: 25, n: 1537, k: 512, accumulate: true, packed: true, seed: 3)
        Parallel.concurrently(2) { i in
            RowTimesTransposedTests.check(on: path, m: 21 + i * 50, n: 1536, k: 512, accumulate: i == 1, packed: true, seed: 4)
        }
    }

    func testPathsAreListedFastestFirstWithPortableLast() {
        let supported = KernelPath.supported
        XCTAssertEqual(supported.last, .portable)
        XCTAssertEqual(supported, KernelPath.allCases.filter(\.isSupported))
        if KernelPath.avx512.isSupported { XCTAssertTrue(KernelPath.avx2.isSupported, "x86-64-v4 includes x86-64-v3") }
        print("kernel paths this CPU supports: \(supported.map(\.rawValue).joined(separator: ", ")); this process runs \(KernelPath.current)")
    }

    func testChoosingAPath() throws {
        XCTAssertEqual(try KernelPath.choose(forced: nil), KernelPath.supported[0])
        XCTAssertEqual(try KernelPath.choose(forced: ""), KernelPath.supported[0])
        XCTAssertEqual(try KernelPath.choose(forced: "portable"), .portable)
        XCTAssertEqual(try KernelPath.choose(forced: "PORTABLE"), .portable)
        for path in KernelPath.supported { XCTAssertEqual(try KernelPath.choose(forced: path.rawValue), path) }
    }

    func testAnUnknownPathIsAnErrorListingTheValidOnes() {
        XCTAssertThrowsError(try KernelPath.choose(forced: "avx")) { error in
            XCTAssertEqual(error as? KernelPathError, .unknown("avx", available: KernelPath.supported))
            let message = "\(error)"
            XCTAssertTrue(message.contains("HYBRIDSIGN_KERNELS=avx"), message)
            XCTAssertTrue(message.contains("avx512, avx2, portable"), message)
        }
    }

    func testForcingAPathTheCPULacksIsAnError() {
        // As on a CPU with AVX2 but no AVX-512, and on one with neither.
        XCTAssertEqual(try KernelPath.choose(forced: nil, available: [.avx2, .portable]), .avx2)
        XCTAssertThrowsError(try KernelPath.choose(forced: "avx512", available: [.avx2, .portable])) { error in
            XCTAssertEqual(error as? KernelPathError, .unsupported(.avx512, available: [.avx2, .portable]))
            let message = "\(error)"
            XCTAssertTrue(message.contains("HYBRIDSIGN_KERNELS=avx512 needs AVX-512"), message)
            XCTAssertTrue(message.contains("which this CPU lacks; this CPU supports avx2, portable"), message)
        }
        XCTAssertThrowsError(try KernelPath.choose(forced: "avx2", available: [.portable])) { error in
            XCTAssertEqual(error as? KernelPathError, .unsupported(.avx2, available: [.portable]))
        }
        // And on this CPU, when it lacks a path.
        if let missing = KernelPath.allCases.first(where: { !$0.isSupported }) {
            XCTAssertThrowsError(try KernelPath.choose(forced: missing.rawValue))
        }
    }
}
