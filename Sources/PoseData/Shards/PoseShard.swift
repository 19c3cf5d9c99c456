import Platform

#if !_endian(little)
#error("shards store little-endian values and are copied out as they are")
#endif

/// One shard file of a sharded dataset, mapped: its header, offsets and metadata are checked and
/// decoded once when it opens; a sample's frames are copied out when it is asked for.
final class PoseShard: Sendable {
    /// Text features of the shard's samples: where each sample's rows are, and whether it has any.
    struct FeatureColumn {
        let rowOffsets: [Int]
        let present: [Bool]
        let width: Int
        /// Absolute byte offset of the first row.
        let start: Int
    }

    let file: MappedFile
    let jointCount: Int
    /// Frame offsets into the `frames` tensor, one more than the samples.
    let frameOffsets: [Int]
    let fps: [Double]
    /// The metadata columns (``ShardFormat/textColumns``), one value per sample each.
    let names: [String?], texts: [String?], glosses: [String?], signers: [String?]
    /// Absolute byte offset of the first frame.
    let framesStart: Int
    let features: FeatureColumn?

    /// The samples in the shard.
    var count: Int { fps.count }

    /// Opens the shard in `file`, which the index says holds `samples` samples of `frames` frames
    /// of `jointCount` joints; every claim of the file is checked against its bytes and the
    /// ceilings of ``ShardFormat``.
    init(file: MappedFile, jointCount: Int, samples: Int, frames: Int) throws(PoseDataError) {
        let reader = try ShardHeaderReader(file: file)
        try reader.checkVersion()
        let framesBytes = try reader.tensor(ShardFormat.frames, dtype: "F32", shape: [frames, jointCount, 3])
        frameOffsets = try reader.offsets(ShardFormat.frameOffsets, count: samples, total: frames,
                                          ceiling: ShardFormat.maximumFramesPerSample, unit: "frames")
        fps = try reader.rates(count: samples)
        names = try reader.column("name", count: samples)
        texts = try reader.column("text", count: samples)
        glosses = try reader.column("gloss", count: samples)
        signers = try reader.column("signer", count: samples)
        features = try reader.features(count: samples)
        framesStart = framesBytes.lowerBound
        self.file = file
        self.jointCount = jointCount
        // The header, offsets and rates are decoded into arrays: their pages need not stay resident.
        file.release(0..<file.count)
    }

    /// The number of frames of sample `index`.
    func frameCount(at index: Int) -> Int { frameOffsets[index + 1] - frameOffsets[index] }

    /// Sample `index` without its frames.
    func summary(at index: Int) -> PoseSampleSummary {
        PoseSampleSummary(name: names[index], text: texts[index], gloss: glosses[index], signer: signers[index],
                          fps: fps[index], frameCount: frameCount(at: index), textFeatureRows: featureRows(at: index),
                          textFeatureWidth: featureRows(at: index) == nil ? nil : features?.width)
    }

    /// Sample `index`, copied out of the map (whose pages are then released, so a pass over many
    /// shards does not keep them resident).
    func sequence(at index: Int, layout: Layout) -> PoseSequence {
        let frameSize = jointCount * 3
        let values = copyFloats(from: framesStart + frameOffsets[index] * frameSize * 4, count: frameCount(at: index) * frameSize)
        var textFeatures: TextFeatures?
        if let features, features.present[index] {
            let rows = features.rowOffsets[index + 1] - features.rowOffsets[index]
            let floats = copyFloats(from: features.start + features.rowOffsets[index] * features.width * 4, count: rows * features.width)
            textFeatures = TextFeatures(checkedRows: rows, width: features.width, values: floats)
        }
        return PoseSequence(checkedLayout: layout, fps: fps[index], values: values, name: names[index], text: texts[index],
                            gloss: glosses[index], signer: signers[index], textFeatures: textFeatures)
    }

    private func featureRows(at index: Int) -> Int? {
        guard let features, features.present[index] else { return nil }
        return features.rowOffsets[index + 1] - features.rowOffsets[index]
    }

    /// `count` floats starting at byte `offset` of the file (checked when the shard opened).
    private func copyFloats(from offset: Int, count: Int) -> [Float] {
        let source = file.bytes
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count * 4)]))
            initialized = count
        }
        file.release(offset..<(offset + count * 4))
        return values
    }
}

extension TextFeatures {
    /// Features whose size a shard's checks have already matched.
    fileprivate init(checkedRows rows: Int, width: Int, values: [Float]) {
        self.rows = rows
        self.width = width
        self.values = values
    }
}
