import Platform

/// `index.json` of a sharded dataset: the layout and the shard files in sample order, with what
/// each holds. Readers check every shard against it; writers write it last (the commit point).
struct ShardIndex: Equatable {
    struct Shard: Equatable {
        /// The file's name inside the dataset directory.
        var file: String
        var samples: Int
        var frames: Int
        /// The file's size.
        var bytes: Int
    }

    var layout: Layout
    var shards: [Shard]

    var sampleCount: Int { shards.reduce(0) { $0 + $1.samples } }
    var frameCount: Int { shards.reduce(0) { $0 + $1.frames } }

    init(layout: Layout, shards: [Shard]) {
        self.layout = layout
        self.shards = shards
    }

    /// Parses and checks an index; `file` names it in errors.
    init(jsonBytes: [UInt8], file: String) throws(PoseDataError) {
        func malformed(_ message: String) -> PoseDataError { .malformed(file: file, offset: nil, message: message) }
        var parser = JSONParser(bytes: jsonBytes, file: file)
        let value = try parser.parseValue()
        try parser.expectEnd()
        guard case .object = value else { throw malformed("the index is \(value.kind), not a JSON object") }
        guard case .string(let tag)? = value["format"], tag == ShardFormat.indexTag else {
            throw malformed("\"format\" must be \"\(ShardFormat.indexTag)\": this is not the index of a HybridSign sharded dataset")
        }
        guard case .number(let version)? = value["version"], version == version.rounded(), version >= 1 else {
            throw malformed("\"version\" must be a whole number ≥ 1")
        }
        guard version <= Double(ShardFormat.version) else {
            throw PoseDataError.unsupported("\(file): sharded dataset version \(Int(version)) is newer than this HybridSign reads (\(ShardFormat.version)); update HybridSign")
        }
        guard let layoutValue = value["layout"] else { throw malformed("\"layout\" is missing") }
        layout = try Layout(jsonValue: layoutValue, context: "\(file) layout")
        guard case .array(let entries)? = value["shards"] else { throw malformed("\"shards\" must be an array") }
        guard entries.count <= ShardFormat.maximumShards else {
            throw malformed("the index lists \(entries.count) shards, above the limit of \(ShardFormat.maximumShards); write fewer, larger shards")
        }
        var names: Set<String> = []
        shards = []
        for (position, entry) in entries.enumerated() {
            let shard = try Self.shard(entry, position: position, malformed: malformed)
            guard names.insert(shard.file).inserted else { throw malformed("shard \(position) repeats the file \(QuotedText.quoted(shard.file))") }
            shards.append(shard)
        }
        for (key, total) in [("samples", sampleCount), ("frames", frameCount)] {
            guard case .number(let claimed)? = value[key], claimed == Double(total) else {
                throw malformed("\"\(key)\" must be \(total), the sum over the shards")
            }
        }
    }

    private static func shard(_ entry: JSONValue, position: Int, malformed: (String) -> PoseDataError) throws(PoseDataError) -> Shard {
        guard case .string(let file)? = entry["file"], isShardFileName(file) else {
            throw malformed("shard \(position) needs a \"file\": a plain file name ending in .safetensors (no directories)")
        }
        func integer(_ key: String, in range: ClosedRange<Int>) throws(PoseDataError) -> Int {
            guard case .number(let number)? = entry[key], number == number.rounded(),
                  number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
                throw malformed("shard \(position) (\(QuotedText.quoted(file))) needs \"\(key)\": a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return Int(number)
        }
        let samples = try integer("samples", in: 1...ShardFormat.maximumSamplesPerShard)
        let frames = try integer("frames", in: 0...(samples * ShardFormat.maximumFramesPerSample))
        let bytes = try integer("bytes", in: 8...Int(Int64.max / 2))
        return Shard(file: file, samples: samples, frames: frames, bytes: bytes)
    }

    /// Whether `name` is a plain `.safetensors` file name: no path separators, not hidden, at
    /// most 255 bytes, so an index can only point inside its own directory.
    static func isShardFileName(_ name: String) -> Bool {
        name.hasSuffix(".safetensors") && !name.hasPrefix(".") && name.utf8.count <= 255
            && !name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 }
    }

    /// The index as JSON text.
    func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.raw("{\"format\": ")
        writer.string(ShardFormat.indexTag)
        writer.raw(", \"version\": ")
        writer.integer(ShardFormat.version)
        writer.raw(",\n\"samples\": ")
        writer.integer(sampleCount)
        writer.raw(", \"frames\": ")
        writer.integer(frameCount)
        writer.raw(",\n\"layout\": ")
        layout.writeJSON(into: &writer, indent: "")
        writer.raw(",\n\"shards\": [")
        for (position, shard) in shards.enumerated() {
            writer.raw(position > 0 ? ",\n {\"file\": " : "\n {\"file\": ")
            writer.string(shard.file)
            writer.raw(", \"samples\": ")
            writer.integer(shard.samples)
            writer.raw(", \"frames\": ")
            writer.integer(shard.frames)
            writer.raw(", \"bytes\": ")
            writer.integer(shard.bytes)
            writer.byte(UInt8(ascii: "}"))
        }
        writer.raw("]}\n")
        return writer.bytes
    }
}
