import Tensors

/// A model's training as it went: one record per optimiser step (its losses and learning rate) and
/// the development score where one was measured. Kept across `train` calls and in checkpoints
/// (the tensor `history`, one row per step in ``columns`` order), so a loaded model still has it.
public struct TrainingHistory: Sendable, Equatable {
    /// One optimiser step.
    public struct Record: Sendable, Equatable {
        /// The step count after the step (1 for the first).
        public var step: Int
        public var loss: LossBreakdown
        public var learningRate: Float
        /// DTW-MJE on the development data with the averaged weights, when evaluated after this step
        /// (single precision, as stored).
        public var developmentDTWMJE: Float?

        public init(step: Int, loss: LossBreakdown, learningRate: Float, developmentDTWMJE: Float? = nil) {
            self.step = step
            self.loss = loss
            self.learningRate = learningRate
            self.developmentDTWMJE = developmentDTWMJE
        }
    }

    /// The columns of the stored form and of the notebook's `m.history` table.
    public static let columns = ["step", "loss", "ar", "flow", "flow_mse", "confidence", "progress", "lr", "dev_dtw_mje"]

    /// The steps in order.
    public private(set) var records: [Record] = []

    /// An empty history.
    public init() {}

    /// Adds the record of a step.
    public mutating func append(_ record: Record) {
        records.append(record)
    }

    /// Notes the development score measured after the last step.
    public mutating func recordDevelopmentScore(_ dtwMJE: Double) {
        guard !records.isEmpty else { return }
        records[records.count - 1].developmentDTWMJE = Float(dtwMJE)
    }

    /// The records as a `[steps, columns]` tensor; a step that was not evaluated has NaN as its score.
    public var tensor: Tensor {
        Tensor(shape: [records.count, Self.columns.count], scalars: records.flatMap { record -> [Float] in
            let l = record.loss
            return [Float(record.step), l.total, l.ar, l.flow, l.flowError, l.confidence, l.progress, record.learningRate,
                    record.developmentDTWMJE ?? .nan]
        })
    }

    /// Reads the form ``tensor`` writes; nil when the shape does not fit.
    public init?(tensor: Tensor) {
        let width = Self.columns.count
        guard tensor.rank == 2, tensor.shape[1] == width else { return nil }
        let values = tensor.scalars
        records = (0..<tensor.shape[0]).map { row in
            let v = Array(values[(row * width)..<((row + 1) * width)])
            return Record(step: v[0].isFinite && abs(v[0]) < 1e15 ? Int(v[0]) : 0,
                          loss: LossBreakdown(total: v[1], flow: v[3], flowError: v[4], ar: v[2], confidence: v[5], progress: v[6]),
                          learningRate: v[7], developmentDTWMJE: v[8].isNaN ? nil : v[8])
        }
    }
}
