/// The loss of one training step and its parts (for the progress line).
public struct LossBreakdown: Sendable, Equatable {
    /// The optimised total.
    public var total: Float
    /// Flow loss as optimised (adaptively weighted) and its raw mean squared error.
    public var flow: Float
    public var flowError: Float
    /// AR estimate (confidence-weighted MSE), confidence head and progress head losses.
    public var ar: Float
    public var confidence: Float
    public var progress: Float

    /// Adds another part of the batch's losses (``Objective/loss(model:batch:rng:graph:shards:)``).
    mutating func add(_ other: LossBreakdown) {
        total += other.total
        flow += other.flow
        flowError += other.flowError
        ar += other.ar
        confidence += other.confidence
        progress += other.progress
    }
}
