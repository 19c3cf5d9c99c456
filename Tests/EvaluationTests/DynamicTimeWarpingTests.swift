import XCTest
@testable import Evaluation

final class DynamicTimeWarpingTests: XCTestCase {
    /// The cheapest monotone path cost by exhaustive search, for small matrices.
    private func bruteForce(_ costs: [Double], rows: Int, columns: Int) -> Double {
        func walk(_ i: Int, _ j: Int) -> Double {
            let here = costs[i * columns + j]
            if i == rows - 1 && j == columns - 1 { return here }
            var best = Double.infinity
            if i + 1 < rows && j + 1 < columns { best = min(best, walk(i + 1, j + 1)) }
            if i + 1 < rows { best = min(best, walk(i + 1, j)) }
            if j + 1 < columns { best = min(best, walk(i, j + 1)) }
            return here + best
        }
        return walk(0, 0)
    }

    func testMatchesExhaustiveSearchOnRandomMatrices() {
        var seed: UInt64 = 12345
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        for rows in 1...5 {
            for columns in 1...5 {
                let costs = (0..<(rows * columns)).map { _ in next() }
                let path = DynamicTimeWarping.align(costs: costs, rows: rows, columns: columns)!
                XCTAssertEqual(path.totalCost, bruteForce(costs, rows: rows, columns: columns), accuracy: 1e-12)
                XCTAssertEqual(path.steps.first!.row, 0)
                XCTAssertEqual(path.steps.first!.column, 0)
                XCTAssertEqual(path.steps.last!.row, rows - 1)
                XCTAssertEqual(path.steps.last!.column, columns - 1)
                let recomputed = path.steps.reduce(0.0) { $0 + costs[$1.row * columns + $1.column] }
                XCTAssertEqual(recomputed, path.totalCost, accuracy: 1e-12)
                for (a, b) in zip(path.steps, path.steps.dropFirst()) {
                    XCTAssertTrue([(1, 0), (0, 1), (1, 1)].contains { $0 == (b.row - a.row, b.column - a.column) })
                }
            }
        }
    }

    func testEmptySideHasNoPath() {
        XCTAssertNil(DynamicTimeWarping.align(costs: [], rows: 0, columns: 3))
    }
}
