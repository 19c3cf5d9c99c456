import Foundation

extension PickleDataset {
    /// Writes `dataset` as a pickle in the seed's format, atomically (``Platform/AtomicFile``).
    ///
    /// Protocol 4; a list of dicts, one per sample, with `name`, `signer`, `text`, `gloss` (those
    /// present), `fps` (float), `pose` (float32 numpy array (T, J, 3)) and `sentence` (float32
    /// (1, L, W)) when the sample has text features. Python's `pickle.load` reads it with numpy
    /// 1.x or 2.x.
    public static func write(_ dataset: PoseDataset, to url: URL) throws(PoseDataError) {
        try OutputFile.write(encode(dataset), to: url)
    }

    /// The pickle bytes ``write(_:to:)`` stores.
    public static func encode(_ dataset: PoseDataset) -> [UInt8] {
        var writer = PickleWriter()
        writer.opcode(PickleOpcode.emptyList)
        writer.opcode(PickleOpcode.mark)
        for sample in dataset.samples {
            writer.opcode(PickleOpcode.emptyDict)
            writer.opcode(PickleOpcode.mark)
            let texts: [(String, String?)] = [("name", sample.name), ("signer", sample.signer), ("text", sample.text), ("gloss", sample.gloss)]
            for case let (key, text?) in texts {
                writer.string(key)
                writer.string(text)
            }
            writer.string("fps")
            writer.float(sample.fps)
            writer.string("pose")
            writer.float32Array(sample.values, shape: [sample.frameCount, sample.jointCount, 3])
            if let features = sample.textFeatures {
                writer.string("sentence")
                writer.float32Array(features.values, shape: [1, features.rows, features.width])
            }
            writer.opcode(PickleOpcode.setItems)
        }
        writer.opcode(PickleOpcode.appends)
        return writer.finish()
    }
}
