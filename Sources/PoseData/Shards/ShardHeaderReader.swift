import Platform
import SafeTensorsFormat

/// Reads a shard's tensors and metadata columns out of its safetensors header, checking each one
/// against what the index and the format promise; errors name the file and the tensor.
struct ShardHeaderReader {
    let file: MappedFile
    let header: SafeTensorsHeader

    init(file: MappedFile) throws(PoseDataError) {
        self.file = file
        do {
            // Shards hold integer tensors too (offsets, flags): kept, not refused.
            header = try SafeTensorsHeader(file.bytes, path: file.path, skippingNonFloat: true)
        } catch {
            throw .malformed(file: file.path, offset: nil, message: "the shard \(error.problem)")
        }
    }

    func malformed(_ message: String) -> PoseDataError { .malformed(file: file.path, offset: nil, message: message) }

    /// Checks the `format` and `version` metadata.
    func checkVersion() throws(PoseDataError) {
        guard header.metadata["format"] == ShardFormat.shardTag else {
            throw malformed("the metadata's format is \(header.metadata["format"].map { QuotedText.quoted($0) } ?? "missing"), not '\(ShardFormat.shardTag)': this is not a HybridSign shard")
        }
        guard let text = header.metadata["version"], let version = Int(text), version >= 1 else {
            throw malformed("the metadata's version is \(header.metadata["version"].map { QuotedText.quoted($0) } ?? "missing"), not a whole number ≥ 1")
        }
        guard version <= ShardFormat.version else {
            throw PoseDataError.unsupported("\(file.path): shard format version \(version) is newer than this HybridSign reads (\(ShardFormat.version)); update HybridSign")
        }
    }

    /// Where the bytes of tensor `name` lie in the file; it must have `dtype` and `shape`.
    func tensor(_ name: String, dtype: String, shape: [Int]) throws(PoseDataError) -> Range<Int> {
        guard let entry = header.entry(named: name) else { throw malformed("the tensor \(QuotedText.quoted(name)) is missing") }
        guard entry.dtype == dtype else { throw malformed("the tensor \(QuotedText.quoted(name)) is \(entry.dtype), not \(dtype)") }
        guard entry.shape == shape else {
            throw malformed("the tensor \(QuotedText.quoted(name)) has shape \(entry.shape); the index and the other tensors make it \(shape)")
        }
        return header.fileRange(of: entry)
    }

    /// An I64 offsets tensor of `count + 1` values that starts at 0, never decreases, grows by at
    /// most `ceiling` per sample and ends at `total`.
    func offsets(_ name: String, count: Int, total: Int, ceiling: Int, unit: String) throws(PoseDataError) -> [Int] {
        let start = try tensor(name, dtype: "I64", shape: [count + 1]).lowerBound
        let bytes = file.bytes
        var offsets: [Int] = []
        offsets.reserveCapacity(count + 1)
        for i in 0...count {
            let value = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: start + 8 * i, as: Int64.self))
            let previous = offsets.last ?? 0
            guard i > 0 || value == 0 else { throw malformed("\(QuotedText.quoted(name)) starts at \(value), not 0") }
            guard value >= previous, value - Int64(previous) <= Int64(ceiling) else {
                throw malformed("\(QuotedText.quoted(name)) gives sample \(i - 1) \(value - Int64(previous)) \(unit): offsets must not decrease, and a sample holds at most \(ceiling) \(unit)")
            }
            offsets.append(Int(value))
        }
        guard offsets.last == total else { throw malformed("\(QuotedText.quoted(name)) ends at \(offsets.last ?? 0), but the shard holds \(total) \(unit)") }
        return offsets
    }

    /// The `fps` tensor: `count` rates within ``PoseLimits/fpsRange``.
    func rates(count: Int) throws(PoseDataError) -> [Double] {
        let start = try tensor(ShardFormat.fps, dtype: "F64", shape: [count]).lowerBound
        let bytes = file.bytes
        return try (0..<count).map { (i: Int) throws(PoseDataError) -> Double in
            let rate = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self)))
            guard PoseLimits.isValidFPS(rate) else { throw malformed("sample \(i): \(PoseLimits.fpsProblem(rate))") }
            return rate
        }
    }

    /// Metadata column `key`: a JSON array of `count` strings or nulls (all nil when absent).
    func column(_ key: String, count: Int) throws(PoseDataError) -> [String?] {
        guard let text = header.metadata[key] else { return Array(repeating: nil, count: count) }
        var parser = JSONParser(bytes: Array(text.utf8), file: "\(file.path) metadata \(QuotedText.quoted(key))")
        let value = try parser.parseValue()
        try parser.expectEnd()
        guard case .array(let elements) = value, elements.count == count else {
            throw malformed("the metadata \(QuotedText.quoted(key)) must be a JSON array of \(count) strings or nulls (one per sample)")
        }
        return try elements.enumerated().map { (i: Int, element: JSONValue) throws(PoseDataError) -> String? in
            switch element {
            case .null: return nil
            case .string(let string): return string
            default: throw malformed("the metadata \(QuotedText.quoted(key)) holds \(element.kind) for sample \(i), not a string or null")
            }
        }
    }

    /// The text feature tensors, all three or none.
    func features(count: Int) throws(PoseDataError) -> PoseShard.FeatureColumn? {
        let names = [ShardFormat.textFeatures, ShardFormat.featureOffsets, ShardFormat.featurePresent]
        let present = names.filter { header.entry(named: $0) != nil }
        guard !present.isEmpty else { return nil }
        guard present.count == names.count, let values = header.entry(named: ShardFormat.textFeatures) else {
            throw malformed("text features need the tensors \(names.joined(separator: ", ")); the shard has only \(present.joined(separator: ", "))")
        }
        guard values.shape.count == 2, (1...ShardFormat.maximumFeatureWidth).contains(values.shape[1]) else {
            throw malformed("'\(ShardFormat.textFeatures)' has shape \(values.shape); it must be rows × width with a width of 1...\(ShardFormat.maximumFeatureWidth)")
        }
        let (rows, width) = (values.shape[0], values.shape[1])
        let valueBytes = try tensor(ShardFormat.textFeatures, dtype: "F32", shape: [rows, width])
        let rowOffsets = try offsets(ShardFormat.featureOffsets, count: count, total: rows,
                                     ceiling: ShardFormat.maximumFeatureRows, unit: "feature rows")
        let flagsStart = try tensor(ShardFormat.featurePresent, dtype: "U8", shape: [count]).lowerBound
        let bytes = file.bytes
        let presence = try (0..<count).map { (i: Int) throws(PoseDataError) -> Bool in
            let flag = bytes[flagsStart + i]
            guard flag <= 1 else { throw malformed("'\(ShardFormat.featurePresent)' holds \(flag) for sample \(i); it must be 0 or 1") }
            guard flag == 1 || rowOffsets[i + 1] == rowOffsets[i] else {
                throw malformed("sample \(i) has no text features but \(rowOffsets[i + 1] - rowOffsets[i]) feature rows")
            }
            return flag == 1
        }
        return PoseShard.FeatureColumn(rowOffsets: rowOffsets, present: presence, width: width, start: valueBytes.lowerBound)
    }
}
