/// The sequence length as a linear function of the text's length: frames ≈ a + b·units, fitted by
/// least squares on the training set (units: characters, words or feature rows). Used by the
/// `diffusion` sampler and as the `frames: auto` fallback.
public struct LengthModel: Sendable, Equatable, Codable {
    public var intercept: Double
    public var slope: Double

    public init(intercept: Double, slope: Double) {
        self.intercept = intercept
        self.slope = slope
    }

    /// Least-squares fit of `frames` on `units`; with one distinct length, a constant.
    public init(units: [Int], frames: [Int]) {
        let n = Double(units.count)
        guard n > 0 else { self.init(intercept: 60, slope: 0); return }
        let mx = Double(units.reduce(0, +)) / n, my = Double(frames.reduce(0, +)) / n
        var sxy = 0.0, sxx = 0.0
        for (u, f) in zip(units, frames) {
            sxy += (Double(u) - mx) * (Double(f) - my)
            sxx += (Double(u) - mx) * (Double(u) - mx)
        }
        let slope = sxx > 0 ? sxy / sxx : 0
        self.init(intercept: my - slope * mx, slope: slope)
    }

    /// Predicted frames for a text of `units` units, clamped to 2...maximum.
    public func frames(units: Int, maximum: Int) -> Int {
        let f = (intercept + slope * Double(units)).rounded()
        return Int(min(Double(maximum), max(2, f.isFinite ? f : 2)))
    }
}
