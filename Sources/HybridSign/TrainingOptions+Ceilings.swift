extension TrainingOptions {
    /// The largest training options a checkpoint may declare, or `train` accept (Docs/model.md
    /// lists them). `train --resume` reads the options back from the model file, which is untrusted
    /// input: a batch of 10¹² sequences, a decay above 1 or a step count near `Int.max` must be
    /// refused before the run is set up (the trainer's arithmetic is compiled without overflow
    /// checks).
    public enum Ceilings {
        /// Optimiser steps in a run, and the step a checkpoint was saved at.
        public static let steps = 1_000_000_000
        /// Sequences per batch.
        public static let batchSize = 4096
        /// Peak learning rate (AdamW's useful rates are orders of magnitude below it).
        public static let learningRate: Float = 1
        /// Decoupled weight decay (a decay of 1 at a learning rate of 1 zeroes the weights).
        public static let weightDecay: Float = 1
        /// The gradient-norm clip.
        public static let clipNorm: Float = 1e6
    }

    /// Checks every option against ``Ceilings`` and its own range (finite, and above zero where
    /// zero would stop training); the error names the option, its value and the allowed range.
    public func validate() throws(HybridSignError) {
        let counts: [(String, Int, ClosedRange<Int>)] = [
            ("steps", steps, 1...Ceilings.steps), ("batchSize", batchSize, 1...Ceilings.batchSize),
            ("warmupSteps", warmupSteps, 0...Ceilings.steps),
        ]
        for (name, value, range) in counts where !range.contains(value) {
            throw HybridSignError.invalidConfig("training option \(name) is \(value); it must be \(range.lowerBound)…\(range.upperBound)")
        }
        let rates: [(String, Float, Float, Bool, Float)] = [
            ("learningRate", learningRate, 0, false, Ceilings.learningRate),
            ("weightDecay", weightDecay, 0, true, Ceilings.weightDecay),
            ("clipNorm", clipNorm, 0, false, Ceilings.clipNorm),
            ("emaDecay", emaDecay, 0, true, 1),
        ]
        for (name, value, lower, includesLower, upper) in rates {
            let aboveLower = includesLower ? value >= lower : value > lower
            guard value.isFinite, aboveLower, value <= upper else {
                let allowed = includesLower ? "\(lower)…\(upper)" : "above \(lower) and at most \(upper)"
                throw HybridSignError.invalidConfig("training option \(name) is \(value); it must be \(allowed)")
            }
        }
    }
}
