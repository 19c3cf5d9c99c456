/// The bytes of one shard file (``ShardFormat``): a safetensors header with the metadata columns,
/// then the tensors, 8-byte ones first so that every tensor starts aligned to its element size and
/// the data section has no gaps (as the safetensors reference requires).
enum ShardEncoder {
    /// One tensor of the file: its name, dtype, shape and how to append its bytes.
    private struct Tensor {
        let name: String
        let dtype: StaticString
        let shape: [Int]
        let byteCount: Int
        let append: (inout [UInt8]) -> Void
    }

    /// Encodes `samples`, which the writer has checked: one layout of `jointCount` joints, and one
    /// text feature width among the samples that have features.
    static func encode(_ samples: [PoseSequence], jointCount: Int) -> [UInt8] {
        let tensors = self.tensors(samples, jointCount: jointCount)
        var header = JSONWriter()
        header.raw("{\"__metadata__\": {\"format\": ")
        header.string(ShardFormat.shardTag)
        header.raw(", \"version\": ")
        header.string(String(ShardFormat.version))
        for (key, column) in zip(ShardFormat.textColumns, [samples.map(\.name), samples.map(\.text), samples.map(\.gloss), samples.map(\.signer)]) {
            header.raw(", ")
            header.string(key)
            header.raw(": ")
            header.string(columnJSON(column))
        }
        header.byte(UInt8(ascii: "}"))
        var offset = 0
        for tensor in tensors {
            header.raw(", ")
            header.string(tensor.name)
            header.raw(": {\"dtype\": \"")
            header.raw(tensor.dtype)
            header.raw("\", \"shape\": [")
            for (position, extent) in tensor.shape.enumerated() {
                if position > 0 { header.raw(", ") }
                header.integer(extent)
            }
            header.raw("], \"data_offsets\": [")
            header.integer(offset)
            header.raw(", ")
            header.integer(offset + tensor.byteCount)
            header.raw("]}")
            offset += tensor.byteCount
        }
        header.byte(UInt8(ascii: "}"))
        var headerBytes = header.bytes
        // Spaces up to a multiple of 8, so the data section starts aligned.
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + headerBytes.count + offset)
        appendInteger(UInt64(headerBytes.count), to: &bytes)
        bytes += headerBytes
        for tensor in tensors { tensor.append(&bytes) }
        return bytes
    }

    private static func tensors(_ samples: [PoseSequence], jointCount: Int) -> [Tensor] {
        let frameOffsets = cumulative(samples.map(\.frameCount))
        var tensors = [integerTensor(ShardFormat.frameOffsets, frameOffsets)]
        let featured = samples.compactMap(\.textFeatures)
        let rowOffsets = cumulative(samples.map { $0.textFeatures?.rows ?? 0 })
        if !featured.isEmpty { tensors.append(integerTensor(ShardFormat.featureOffsets, rowOffsets)) }
        tensors.append(Tensor(name: ShardFormat.fps, dtype: "F64", shape: [samples.count], byteCount: samples.count * 8) { bytes in
            for sample in samples { appendInteger(sample.fps.bitPattern, to: &bytes) }
        })
        let frames = frameOffsets[frameOffsets.count - 1]
        tensors.append(Tensor(name: ShardFormat.frames, dtype: "F32", shape: [frames, jointCount, 3],
                              byteCount: frames * jointCount * 12) { bytes in
            for sample in samples { sample.values.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        })
        if let width = featured.first?.width {
            let rows = rowOffsets[rowOffsets.count - 1]
            tensors.append(Tensor(name: ShardFormat.textFeatures, dtype: "F32", shape: [rows, width], byteCount: rows * width * 4) { bytes in
                for features in featured { features.values.withUnsafeBytes { bytes.append(contentsOf: $0) } }
            })
            tensors.append(Tensor(name: ShardFormat.featurePresent, dtype: "U8", shape: [samples.count], byteCount: samples.count) { bytes in
                for sample in samples { bytes.append(sample.textFeatures == nil ? 0 : 1) }
            })
        }
        return tensors
    }

    private static func integerTensor(_ name: String, _ values: [Int]) -> Tensor {
        Tensor(name: name, dtype: "I64", shape: [values.count], byteCount: values.count * 8) { bytes in
            for value in values { appendInteger(UInt64(bitPattern: Int64(value)), to: &bytes) }
        }
    }

    /// 0 and the running sums of `counts`.
    private static func cumulative(_ counts: [Int]) -> [Int] {
        var offsets = [0]
        offsets.reserveCapacity(counts.count + 1)
        for count in counts { offsets.append(offsets[offsets.count - 1] + count) }
        return offsets
    }

    private static func appendInteger(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A metadata column as JSON: an array of strings and nulls.
    private static func columnJSON(_ column: [String?]) -> String {
        var writer = JSONWriter()
        writer.byte(UInt8(ascii: "["))
        for (position, value) in column.enumerated() {
            if position > 0 { writer.raw(", ") }
            if let value { writer.string(value) } else { writer.raw("null") }
        }
        writer.byte(UInt8(ascii: "]"))
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
