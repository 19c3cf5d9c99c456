/// A sharded dataset: a directory holding `index.json` and shard files of up to N samples each,
/// read through memory maps so that a dataset larger than memory never has to be loaded whole.
/// Docs/data-formats.md describes every field; this type holds the names and the ceilings.
///
/// A shard is a safetensors file (the PyTorch ecosystem reads it directly):
///
/// | tensor | dtype | shape | holds |
/// |---|---|---|---|
/// | `frame_offsets` | I64 | N + 1 | sample i's frames are rows `frame_offsets[i] ..< frame_offsets[i + 1]` of `frames` |
/// | `fps` | F64 | N | frames per second of each sample |
/// | `frames` | F32 | F × J × 3 | every sample's (x, y, confidence) per joint, one after another |
/// | `feature_offsets` | I64 | N + 1 | rows of `text_features` per sample (only with text features) |
/// | `feature_present` | U8 | N | 1 when the sample has text features, 0 when not |
/// | `text_features` | F32 | R × W | every sample's precomputed text features, one after another |
///
/// and its `__metadata__` holds `format` (`hybridsign-shard`), `version` (`1`) and the columns
/// `name`, `text`, `gloss`, `signer`: each a JSON array of N strings or nulls.
///
/// `index.json` is `{"format": "hybridsign-shards", "version": 1, "samples", "frames", "layout",
/// "shards": [{"file", "samples", "frames", "bytes"}, ...]}`: the shards in sample order. It is
/// written last, atomically, so it is the commit point of a write: a reader sees the old dataset or
/// the new one, never a mix.
public enum ShardFormat {
    /// The index's file name inside a shard directory; a directory holding it is a sharded dataset.
    public static let indexFileName = "index.json"
    /// The index's `format` tag.
    static let indexTag = "hybridsign-shards"
    /// A shard's `format` metadata.
    static let shardTag = "hybridsign-shard"
    /// The version written, and the newest one read.
    static let version = 1

    /// Ceilings checked before anything is allocated from a file's claims.
    /// The largest `index.json` read, in bytes.
    public static let maximumIndexBytes = 64 << 20
    /// The most shards in one dataset (each is one memory map; Linux allows 65,530 per process by default).
    public static let maximumShards = 50_000
    /// The most samples in one shard.
    public static let maximumSamplesPerShard = 1 << 20
    /// The most frames in one sample (``PoseLimits/maximumFramesPerSample``).
    public static let maximumFramesPerSample = PoseLimits.maximumFramesPerSample
    /// The most rows and the widest row of one sample's text features.
    public static let maximumFeatureRows = PoseLimits.maximumFeatureRows
    public static let maximumFeatureWidth = PoseLimits.maximumFeatureWidth

    /// The writer's name for shard `position`: `shard-00042-1a2b3c4d.safetensors`, the CRC-32 of
    /// the contents in hex, so a rewrite never reuses a name an older index lists.
    static func shardFileName(position: Int, checksum: UInt32) -> String {
        let digits = String(position)
        let hex = String(checksum, radix: 16)
        return "shard-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + "-"
            + String(repeating: "0", count: 8 - hex.count) + hex + ".safetensors"
    }

    /// Whether `name` is one ``shardFileName(position:checksum:)`` gives.
    static func isShardFileName(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "shard", parts[2].hasSuffix(".safetensors") else { return false }
        let hex = parts[2].dropLast(".safetensors".count)
        let digit: (Character) -> Bool = { ("0"..."9").contains($0) }
        return parts[1].count >= 5 && parts[1].allSatisfy(digit)
            && hex.count == 8 && hex.allSatisfy { digit($0) || ("a"..."f").contains($0) }
    }

    /// Tensor names.
    static let frames = "frames"
    static let frameOffsets = "frame_offsets"
    static let fps = "fps"
    static let textFeatures = "text_features"
    static let featureOffsets = "feature_offsets"
    static let featurePresent = "feature_present"
    /// Metadata columns: one string or null per sample.
    static let textColumns = ["name", "text", "gloss", "signer"]
}
