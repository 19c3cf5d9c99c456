/// "Did you mean …?" suggestions from edit distance.
public enum Suggestions {
    /// The Damerau–Levenshtein (optimal string alignment) distance between two strings:
    /// insertions, deletions, substitutions and swaps of neighbours each cost 1.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, previous2[j - 2] + 1)
                }
                current[j] = best
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }

    /// The candidates closest to `word`, best first: those within a distance of about a third of
    /// the word's length (at least 1, at most 3), or that start with it.
    public static func closest(to word: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let threshold = min(3, max(1, word.count / 3))
        var scored: [(String, Int)] = []
        for candidate in Set(candidates) where candidate != word {
            let distance = editDistance(word, candidate)
            if distance <= threshold {
                scored.append((candidate, distance))
            } else if word.count >= 2, candidate.lowercased().hasPrefix(word.lowercased()) {
                scored.append((candidate, threshold + 1))
            }
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// ` — did you mean 'x'?` (or `'x' or 'y'`), or the empty string when nothing is close.
    public static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        let best = closest(to: word, among: candidates, limit: 2)
        guard !best.isEmpty else { return "" }
        return " — did you mean " + best.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
