import Foundation

/// Axis ticks at round numbers (1, 2 or 5 × 10^k apart) and their labels.
public enum NiceTicks {
    /// A round step near `range / (count − 1)`: 1, 2 or 5 times a power of ten (Heckbert 1990).
    public static func step(range: Double, count: Int) -> Double {
        guard range.isFinite, range > 0 else { return 1 }
        let raw = range / Double(max(count - 1, 1))
        let power = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10
        return nice * power
    }

    /// Ticks `k · step` inside `[low, high]`, about `count` of them.
    public static func linear(low: Double, high: Double, count: Int = 6) -> (values: [Double], step: Double) {
        guard low.isFinite, high.isFinite, high > low else { return (low.isFinite ? [low] : [], 1) }
        let step = step(range: high - low, count: count)
        let first = (low / step).rounded(.up), last = (high / step).rounded(.down)
        guard last >= first, last - first < 1000 else { return ([low, high], high - low) }
        // k · step rather than repeated addition keeps labels free of accumulated rounding noise.
        return (stride(from: first, through: last, by: 1).map { $0 * step == 0 ? 0 : $0 * step }, step)
    }

    /// Ticks for a log axis over `[low, high]` (both > 0): powers of ten, with 2× and 5× between them
    /// when the range spans fewer than three decades; linear ticks when it spans less than one.
    public static func logarithmic(low: Double, high: Double) -> [Double] {
        guard low > 0, high > low, low.isFinite, high.isFinite else { return [] }
        let firstDecade = Int(log10(low).rounded(.down)), lastDecade = Int(log10(high).rounded(.up))
        let decades = log10(high) - log10(low)
        if decades < 1 {
            return linear(low: low, high: high, count: 5).values.filter { $0 > 0 }
        }
        let multiples: [Double] = decades < 3 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        let stride = max(1, (lastDecade - firstDecade) / 8)
        for decade in Swift.stride(from: firstDecade, through: lastDecade, by: stride) {
            for multiple in multiples {
                let value = multiple * pow(10, Double(decade))
                if value >= low * (1 - 1e-9), value <= high * (1 + 1e-9) { ticks.append(value) }
            }
        }
        return ticks
    }

    /// A short label for tick `value` on an axis whose ticks are `step` apart: as few decimals as
    /// the step needs, and exponent notation for very large or small numbers (`1e-4`, `2.5e6`).
    public static func label(_ value: Double, step: Double) -> String {
        guard value.isFinite else { return "" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            var text = String(format: "%.3g", value)
            // "1e-04" → "1e-4", "2.5e+06" → "2.5e6".
            if let e = text.firstIndex(of: "e") {
                let mantissa = text[..<e]
                var exponent = String(text[text.index(after: e)...])
                let negative = exponent.hasPrefix("-")
                exponent = String(exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" })
                text = mantissa + "e" + (negative ? "-" : "") + (exponent.isEmpty ? "0" : exponent)
            }
            return text
        }
        let decimals = step > 0 && step.isFinite ? max(0, Int((-log10(step)).rounded(.up))) : 2
        let text = String(format: "%.\(min(decimals, 6))f", value)
        return text == "-0" ? "0" : text
    }
}
