import Foundation
import Platform
import PoseData
import Tensors

extension Sampler {
    /// The most sequences one batched pass holds.
    public static let maximumBatchSize = 256

    /// The batch size used when a caller gives none: enough sequences that a frame's products have
    /// about 512 token rows per core (taller products gain little more from sgemm), between 1 and
    /// 32, and never more than there are texts. `small` (part tokens: a few a frame) gets 32;
    /// `paper` (137 joint tokens a frame) gets 8 on 2 cores, 15 on 4.
    public static func automaticBatchSize(for config: ModelConfig, texts: Int, cores: Int = Parallel.workerCount) -> Int {
        let tokens = max(1, config.tokensPerFrame)
        let wanted = (512 * max(1, cores) + tokens - 1) / tokens
        return max(1, min(32, wanted, texts))
    }

    /// The most sequences of up to `frames` frames whose KV cache (keys and values of every token,
    /// layer and frame, 4 bytes each) fits in `memory` bytes; at least 1.
    public static func fittingBatchSize(for config: ModelConfig, frames: Int, memory: UInt64) -> Int {
        let perSequence = UInt64(max(1, config.tokensPerFrame)) * UInt64(max(1, config.depth)) * UInt64(max(1, config.dim))
            * 8 * UInt64(max(1, frames))
        return Int(clamping: max(1, memory / perSequence))
    }

    /// The memory a batch's KV cache may take: half of the machine's.
    static var cacheMemory: UInt64 { ProcessInfo.processInfo.physicalMemory / 2 }

    /// ``automaticBatchSize(for:texts:cores:)`` for this sampler's model on this machine.
    public func automaticBatchSize(texts: Int) -> Int { Self.automaticBatchSize(for: model.config, texts: texts) }

    /// Samples one sequence per item, `batchSize` at a time (nil: ``automaticBatchSize(for:texts:cores:)``):
    /// the sequences of a batch share one KV cache with a batch axis and run in step, frame by
    /// frame; each stops on its own (its progress or its frame limit) and leaves the batch, whose
    /// cache then keeps the others' rows only. Each item draws its noise from its own seed, so its
    /// sequence equals the one-at-a-time sample of the same text, seed and signer to float
    /// rounding (the products have other row counts). `options.seed` and `options.signer` are the
    /// items'; the other options apply to all. `diffusion` models sample the items one at a time.
    ///
    /// `onFinished(k, sequence)` is called as item k's sequence ends; `onFrame(k, frame)` for each
    /// frame. When `shouldStop` returns true (checked before every frame) the unfinished sequences
    /// are dropped: the result holds the finished ones, nil for the others.
    public func sample(_ items: [BatchItem], options: SamplingOptions, batchSize: Int? = nil,
                       onFinished: (Int, PoseSequence) -> Void = { _, _ in }, onFrame: (Int, GeneratedFrame) -> Void = { _, _ in },
                       shouldStop: () -> Bool = { false }) throws(HybridSignError) -> [PoseSequence?] {
        var size = batchSize ?? automaticBatchSize(texts: items.count)
        guard size >= 1 && size <= Self.maximumBatchSize else {
            throw HybridSignError.invalidConfig("the batch size must be between 1 and \(Self.maximumBatchSize), not \(size)")
        }
        var results = [PoseSequence?](repeating: nil, count: items.count)
        if model.config.mode == .diffusion {
            for item in items { try check(item) }
            for (k, item) in items.enumerated() {
                if shouldStop() { break }
                var trace: Trace?
                var stopped = false
                let sequence = try generate(try request(for: item), options: itemOptions(options, item), trace: &trace,
                                            shouldStop: { stopped = shouldStop(); return stopped }, onFrame: { onFrame(k, $0) })
                if stopped { break }
                results[k] = sequence
                onFinished(k, sequence)
            }
            return results
        }
        try validate(options)
        // Every text is checked before any is sampled: a bad one fails the call at once.
        var lanes: [BatchLane] = []
        for (k, item) in items.enumerated() {
            let request = try request(for: item)
            lanes.append(BatchLane(index: k, request: request, signer: try model.signerID(item.signer), rng: RandomGenerator(seed: item.seed),
                                   limit: frameLimit(options, units: request.units)))
        }
        // A batch's cache grows with its longest sequence: the automatic size shrinks to fit half
        // the machine's memory, and a size given that does not fit is refused before any work.
        let longest = lanes.map(\.limit).max() ?? 1
        let fitting = Self.fittingBatchSize(for: model.config, frames: longest, memory: Self.cacheMemory)
        if size > fitting {
            guard batchSize == nil else {
                let gigabytes = Double(size) / Double(fitting) * Double(Self.cacheMemory) / 1e9
                throw HybridSignError.invalidConfig("a batch of \(size) sequences of up to \(longest) frames needs about \(Int(gigabytes.rounded(.up))) GB of KV cache, over half of this machine's memory; give a batch size of at most \(fitting), or fewer frames")
            }
            size = fitting
        }
        var start = 0
        while start < items.count && !shouldStop() {
            let chunk = Array(lanes[start..<min(items.count, start + size)])
            try generateBatch(chunk, options: options, shouldStop: shouldStop, onFrame: onFrame) { k, sequence in
                results[k] = sequence
                onFinished(k, sequence)
            }
            start += size
        }
        return results
    }

    /// Checks that `item` can be sampled (its text encodes, its signer is known), so a caller can
    /// refuse a bad text before a long run starts.
    public func check(_ item: BatchItem) throws(HybridSignError) {
        _ = try request(for: item)
        _ = try model.signerID(item.signer)
    }

    /// What one item asks for, as ``sample(text:options:onFrame:shouldStop:)`` and
    /// ``sample(features:text:options:onFrame:shouldStop:)`` make it.
    func request(for item: BatchItem) throws(HybridSignError) -> Request {
        if model.textEncoder != nil {
            guard let features = model.encodedFeatures(item.text) else { throw HybridSignError.unsupportedText("the text encoder gave no features") }
            return Request(ids: nil, features: features, units: features.rows, text: item.text)
        }
        if model.config.text == .sentence {
            guard let features = item.features else {
                throw HybridSignError.invalidData("\(QuotedText.quoted(item.text)) has no sentence features, which this model reads (it has no text encoder)")
            }
            guard features.width == model.config.sentenceWidth, features.rows > 0 else {
                throw HybridSignError.unsupportedText("sentence features are \(features.rows) × \(features.width); the model reads rows of \(model.config.sentenceWidth)")
            }
            return Request(ids: nil, features: features, units: features.rows, text: item.text)
        }
        let ids = try model.textIDs(item.text)
        return Request(ids: ids, features: nil, units: model.config.text == .words ? ids.count : item.text.count, text: item.text)
    }

    private func itemOptions(_ options: SamplingOptions, _ item: BatchItem) -> SamplingOptions {
        var options = options
        options.seed = item.seed
        options.signer = item.signer
        return options
    }
}
