import Foundation

/// Where an encoding's wall time went, in seconds per part (summed over the layers), for
/// `hybridsign bench text-encode --json`: what is arithmetic (the products) and what is not.
public struct EncoderProfile: Sendable, Equatable {
    /// Looking up the token embeddings (and, for BERT, positions and their norm).
    public var embedding = 0.0
    /// RMS norms (T5) or LayerNorms (BERT).
    public var norms = 0.0
    /// The fused query-key-value projection.
    public var projections = 0.0
    /// Scores, softmax and the weighted sum of values, all heads.
    public var attention = 0.0
    /// The attention's output projection (with the residual added by the product).
    public var output = 0.0
    /// The feed-forward's first product (both halves when gated).
    public var feedForwardIn = 0.0
    /// The activation (and the gate's product of halves).
    public var activation = 0.0
    /// The feed-forward's second product (with the residual added by the product).
    public var feedForwardOut = 0.0
    /// The relative position biases, residual copies and the result's array.
    public var other = 0.0

    public init() {}

    /// The parts by name, in the order they run (the JSON keys of `bench text-encode`).
    public var parts: [(name: String, seconds: Double)] {
        [("embedding", embedding), ("norms", norms), ("qkv", projections), ("attention", attention),
         ("attention_output", output), ("ff_in", feedForwardIn), ("activation", activation),
         ("ff_out", feedForwardOut), ("other", other)]
    }

    /// The sum of the parts.
    public var total: Double { parts.reduce(0) { $0 + $1.seconds } }

    /// Runs `body`, adding its wall time to `part`.
    @inline(__always)
    mutating func time<R>(_ part: WritableKeyPath<EncoderProfile, Double>, _ body: () -> R) -> R {
        let start = Self.now()
        let result = body()
        self[keyPath: part] += Self.now() - start
        return result
    }

    @inline(__always)
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
