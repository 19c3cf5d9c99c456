/// Exact dynamic time warping between two sequences of frames, given their frame-to-frame costs.
///
/// The optimal path starts at (0, 0), ends at (n−1, m−1) and moves by (1, 0), (0, 1) or (1, 1);
/// it minimises the sum of the costs it visits.
public struct WarpingPath: Sendable, Equatable {
    /// Visited (row, column) pairs, from (0, 0) to (n−1, m−1).
    public var steps: [(row: Int, column: Int)]
    /// The sum of the costs along the path.
    public var totalCost: Double

    /// The mean cost per visited pair.
    public var meanCost: Double { steps.isEmpty ? 0 : totalCost / Double(steps.count) }

    public static func == (lhs: WarpingPath, rhs: WarpingPath) -> Bool {
        lhs.totalCost == rhs.totalCost && lhs.steps.elementsEqual(rhs.steps) { $0 == $1 }
    }
}

public enum DynamicTimeWarping {
    /// The optimal warping path for a cost matrix of `rows × columns` values, row-major.
    ///
    /// Ties prefer the diagonal step, then the step that advances the row, so the path is
    /// deterministic. Returns nil when either side is empty.
    public static func align(costs: [Double], rows: Int, columns: Int) -> WarpingPath? {
        precondition(costs.count == rows * columns, "cost matrix must hold rows × columns values")
        guard rows > 0, columns > 0 else { return nil }
        // accumulated[i][j]: the cheapest path from (0, 0) to (i, j), including (i, j).
        var accumulated = [Double](repeating: .infinity, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                let cost = costs[i * columns + j]
                if i == 0 && j == 0 {
                    accumulated[0] = cost
                    continue
                }
                var best = Double.infinity
                if i > 0 && j > 0 { best = accumulated[(i - 1) * columns + j - 1] }
                if i > 0 { best = min(best, accumulated[(i - 1) * columns + j]) }
                if j > 0 { best = min(best, accumulated[i * columns + j - 1]) }
                accumulated[i * columns + j] = best + cost
            }
        }
        var steps = [(row: rows - 1, column: columns - 1)]
        var i = rows - 1, j = columns - 1
        while i > 0 || j > 0 {
            if i == 0 {
                j -= 1
            } else if j == 0 {
                i -= 1
            } else {
                let diagonal = accumulated[(i - 1) * columns + j - 1]
                let up = accumulated[(i - 1) * columns + j]
                let left = accumulated[i * columns + j - 1]
                if diagonal <= up && diagonal <= left {
                    i -= 1; j -= 1
                } else if up <= left {
                    i -= 1
                } else {
                    j -= 1
                }
            }
            steps.append((i, j))
        }
        steps.reverse()
        return WarpingPath(steps: steps, totalCost: accumulated[rows * columns - 1])
    }
}
