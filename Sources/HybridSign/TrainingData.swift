import Platform
import PoseData
import Tensors

/// A dataset prepared for training: each sample's text ids or features and its length in the
/// model, batched by length. Samples are read and put in model space (normalised, part-ordered,
/// cropped to the model's `maxFrames`) batch by batch, so a memory-mapped dataset larger than
/// memory trains without being read whole.
public struct TrainingData {
    struct Item {
        let coordinates: [Float]
        let confidence: [Float]
        let frames: Int
        let textIDs: [Int]
        let features: TextFeatures?
        let signerID: Int
    }

    let dataset: PoseDataset
    let model: HybridSignModel
    /// Text ids per sample (empty when the model reads sentence features).
    let textIDs: [[Int]]
    /// Signer id per sample (0 for a sample without a signer, and for every sample of a model
    /// without signer conditioning).
    let signerIDs: [Int]
    let batcher: PoseBatcher
    let jointCount: Int
    /// Batches per epoch.
    public let batchesPerEpoch: Int
    private let order: EpochOrder

    /// Prepares `dataset` for `model` with batches of `batchSize` in an order fixed by `seed`.
    public init(_ dataset: PoseDataset, model: HybridSignModel, batchSize: Int, seed: UInt64) throws(HybridSignError) {
        try Self.check(dataset, config: model.config, role: "training")
        var textIDs: [[Int]] = []
        var signerIDs: [Int] = []
        textIDs.reserveCapacity(dataset.count)
        for (index, sample) in dataset.samples.summaries.enumerated() {
            do { signerIDs.append(model.config.signerConditioning ? try model.signerID(sample.signer) : 0) } catch {
                throw HybridSignError.invalidData("sample \(index)\(sample.name.map { " ('\($0)')" } ?? ""): \(error)")
            }
            if model.config.text != .sentence {
                do { textIDs.append(try model.textIDs(sample.text ?? "")) } catch {
                    throw HybridSignError.invalidData("sample \(index)\(sample.name.map { " (\(QuotedText.quoted($0)))" } ?? ""): \(error)")
                }
            } else if model.textEncoder == nil && sample.textFeatureWidth != model.config.sentenceWidth {
                throw HybridSignError.invalidData("sample \(index) has no sentence features of width \(model.config.sentenceWidth), which text: sentence needs")
            } else {
                textIDs.append([])
            }
        }
        self.dataset = dataset
        self.model = model
        self.textIDs = textIDs
        self.signerIDs = signerIDs
        jointCount = model.partOrder.count
        do {
            batcher = try PoseBatcher(dataset: dataset, batchSize: batchSize, seed: seed)
        } catch {
            throw HybridSignError.invalidConfig("batching: \(error)")
        }
        order = EpochOrder(batcher)
        batchesPerEpoch = order.batches(epoch: 0).count
    }

    /// Checks that a dataset can train or evaluate a model of `config`: samples present, the
    /// model's layout, at least 2 frames each with some visible joint, finite values.
    static func check(_ dataset: PoseDataset, config: ModelConfig, role: String) throws(HybridSignError) {
        guard !dataset.samples.isEmpty else { throw HybridSignError.invalidData("the \(role) data has no samples") }
        guard dataset.layout.jointCount == config.layout.jointCount, dataset.layout.parts == config.layout.parts else {
            throw HybridSignError.invalidData(
                "the \(role) data follows layout \(QuotedText.quoted(dataset.layout.name)) (\(dataset.layout.jointCount) joints); the model was built for \(QuotedText.quoted(config.layout.name)) (\(config.layout.jointCount) joints)")
        }
        for (index, sample) in dataset.samples.enumerated() {
            let label = "\(role) sample \(index)\(sample.name.map { " (\(QuotedText.quoted($0)))" } ?? "")"
            guard sample.frameCount >= 2 else {
                throw HybridSignError.invalidData("\(label) has \(sample.frameCount) frames; a sequence needs at least 2 frames of keypoints")
            }
            if let bad = sample.firstNonFinite() {
                throw HybridSignError.invalidData("\(label) holds NaN or infinity at frame \(bad.frame), joint \(bad.joint), channel \(bad.channel); clean the data first")
            }
            var visible = false
            var i = 2
            while i < sample.values.count { if sample.values[i] > 0 { visible = true; break }; i += 3 }
            guard visible else { throw HybridSignError.invalidData("\(label) has no keypoints with confidence above 0") }
        }
    }

    /// The batch of global step `step` (epoch = step / batchesPerEpoch), so a resumed run sees the
    /// same data order as an uninterrupted one. Its samples are read now.
    func batch(step: Int) -> ModelBatch {
        let perEpoch = max(batchesPerEpoch, 1)
        let indices = order.batches(epoch: step / perEpoch)[step % perEpoch]
        return ModelBatch(items: indices.map(item), jointCount: jointCount)
    }

    /// Sample `index` in model space with its text.
    private func item(_ index: Int) -> Item {
        let sample = dataset.samples[index]
        let (coordinates, confidence) = model.modelSpace(sample, maxFrames: model.config.maxFrames)
        return Item(coordinates: coordinates, confidence: confidence, frames: confidence.count / jointCount,
                    textIDs: textIDs[index], features: model.encodedFeatures(sample.text ?? "") ?? sample.textFeatures,
                    signerID: signerIDs[index])
    }
}

/// The batch order of the current epoch, kept so that each step does not shuffle the whole
/// dataset again.
private final class EpochOrder {
    let batcher: PoseBatcher
    private var cached: (epoch: Int, batches: [[Int]])?

    init(_ batcher: PoseBatcher) { self.batcher = batcher }

    func batches(epoch: Int) -> [[Int]] {
        if let cached, cached.epoch == epoch { return cached.batches }
        let batches = batcher.batchIndices(epoch: epoch)
        cached = (epoch, batches)
        return batches
    }
}

/// A padded batch in model space.
struct ModelBatch {
    /// `[B, T, J, 2]` coordinates, `[B, T, J]` confidences (0 on padding).
    let coordinates: Tensor
    let confidence: Tensor
    let lengths: [Int]
    let textIDs: [[Int]]
    let features: [TextFeatures]?
    /// Signer id per sequence (0 = none); training hides some (``StepDraws``).
    var signerIDs: [Int]

    var batchSize: Int { lengths.count }
    var maxFrames: Int { coordinates.shape[1] }
}

extension ModelBatch {
    /// The padded batch of `items` (outside the struct, which keeps the memberwise initialiser).
    init(items: [TrainingData.Item], jointCount j: Int) {
        let b = items.count
        let t = items.map(\.frames).max() ?? 1
        lengths = items.map(\.frames)
        coordinates = Tensor(shape: [b, t, j, 2]) { out in
            out.initialize(repeating: 0)
            for (k, item) in items.enumerated() { for i in item.coordinates.indices { out[k * t * j * 2 + i] = item.coordinates[i] } }
        }
        confidence = Tensor(shape: [b, t, j]) { out in
            out.initialize(repeating: 0)
            for (k, item) in items.enumerated() { for i in item.confidence.indices { out[k * t * j + i] = item.confidence[i] } }
        }
        textIDs = items.map(\.textIDs)
        signerIDs = items.map(\.signerID)
        features = items.allSatisfy { $0.features != nil } ? items.map { $0.features! } : nil
    }

    /// The sequences `range` of this batch, padded to their own longest length.
    func sequences(_ range: Range<Int>) -> ModelBatch {
        let length = range.map { lengths[$0] }.max() ?? 1
        return ModelBatch(coordinates: coordinates.slice(axis: 0, range).slice(axis: 1, 0..<length),
                          confidence: confidence.slice(axis: 0, range).slice(axis: 1, 0..<length),
                          lengths: Array(lengths[range]), textIDs: Array(textIDs[range]), features: features.map { Array($0[range]) },
                          signerIDs: Array(signerIDs[range]))
    }
}
