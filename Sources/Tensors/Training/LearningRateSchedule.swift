#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `minimum` at `totalSteps`
/// (and `minimum` after).
public struct WarmupCosineSchedule: Sendable {
    /// Rate at the end of warm-up.
    public var peak: Float
    /// Rate at and after `totalSteps`.
    public var minimum: Float
    /// Steps of linear warm-up.
    public var warmupSteps: Int
    /// Step at which the cosine reaches `minimum`.
    public var totalSteps: Int

    /// A schedule; see the type's description.
    public init(peak: Float, minimum: Float = 0, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The learning rate for 0-based `step`.
    public func callAsFunction(_ step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let progress = min(1, Float(step - warmupSteps) / Float(span))
        return minimum + (peak - minimum) * 0.5 * (1 + cosf(Float.pi * progress))
    }
}
