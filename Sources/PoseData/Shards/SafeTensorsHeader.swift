import Platform

/// The header of a safetensors file read in place: each tensor's dtype, shape and byte range, and
/// the string metadata. The tensors' bytes stay where they are (in a memory map).
///
/// The container is an 8-byte little-endian header length `n`, `n` bytes of JSON, then the data
/// section; a tensor's `data_offsets` are relative to the data section. Every length, offset and
/// shape is checked against the file's size before it is used.
struct SafeTensorsHeader {
    struct Entry {
        let dtype: String
        let shape: [Int]
        /// Absolute byte range in the file.
        let bytes: Range<Int>

        /// The number of elements.
        var count: Int { shape.reduce(1, *) }
    }

    let entries: [String: Entry]
    let metadata: [String: String]

    /// Bytes per element of the dtypes a header may name.
    static let elementSizes: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
        "U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1,
    ]

    /// Parses the header of the file whose bytes are `bytes`; `file` names it in errors.
    init(_ bytes: UnsafeRawBufferPointer, file: String, maximumHeaderBytes: Int) throws(PoseDataError) {
        func malformed(_ message: String, at offset: Int? = nil) -> PoseDataError {
            .malformed(file: file, offset: offset, message: message)
        }
        guard bytes.count >= 8 else {
            throw malformed("the file has \(bytes.count) bytes, fewer than the 8-byte header length of a safetensors file (truncated?)")
        }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maximumHeaderBytes) else {
            throw malformed("the header claims \(declared) bytes, above the limit of \(maximumHeaderBytes)", at: 0)
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw malformed("the header claims \(headerLength) bytes, but only \(bytes.count - 8) follow (truncated or not a safetensors file)", at: 0)
        }
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        var parser = JSONParser(bytes: Array(bytes[8..<dataStart]), file: file)
        let header = try parser.parseValue()
        try parser.expectEnd()
        guard case .object(let members) = header else { throw malformed("the header is \(header.kind), not a JSON object", at: 8) }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                metadata = try Self.metadata(value, malformed: malformed)
                continue
            }
            guard entries[name] == nil else { throw malformed("tensor \(QuotedText.quoted(name)) appears twice in the header") }
            let entry = try Self.entry(name, value, dataSize: dataSize, malformed: malformed)
            entries[name] = Entry(dtype: entry.dtype, shape: entry.shape,
                                  bytes: (dataStart + entry.bytes.lowerBound)..<(dataStart + entry.bytes.upperBound))
        }
        self.entries = entries
        self.metadata = metadata
    }

    private static func metadata(_ value: JSONValue, malformed: (String, Int?) -> PoseDataError) throws(PoseDataError) -> [String: String] {
        guard case .object(let members) = value else { throw malformed("__metadata__ is \(value.kind), not an object of strings", nil) }
        var metadata: [String: String] = [:]
        for (key, member) in members {
            guard case .string(let string) = member else {
                throw malformed("__metadata__ entry \(QuotedText.quoted(key)) is \(member.kind), not a string", nil)
            }
            metadata[key] = string
        }
        return metadata
    }

    /// One tensor's entry with its byte range relative to the data section.
    private static func entry(_ name: String, _ value: JSONValue, dataSize: Int,
                              malformed: (String, Int?) -> PoseDataError) throws(PoseDataError) -> Entry {
        guard case .string(let dtype)? = value["dtype"] else { throw malformed("tensor \(QuotedText.quoted(name)) has no dtype string", nil) }
        guard let width = elementSizes[dtype] else { throw malformed("tensor \(QuotedText.quoted(name)) has the unknown dtype \(QuotedText.quoted(dtype))", nil) }
        guard case .array(let shapeValues)? = value["shape"],
              let shape = integers(shapeValues, below: Int(Int32.max)) else {
            throw malformed("tensor \(QuotedText.quoted(name)) has a shape that is not a list of integers in 0...\(Int32.max)", nil)
        }
        guard case .array(let offsetValues)? = value["data_offsets"], let offsets = integers(offsetValues, below: dataSize),
              offsets.count == 2, offsets[0] <= offsets[1], offsets[1] <= dataSize else {
            throw malformed("tensor \(QuotedText.quoted(name)) has data_offsets that are not two ascending integers inside the \(dataSize)-byte data section", nil)
        }
        var byteCount = width
        for extent in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= dataSize else {
                throw malformed("tensor \(QuotedText.quoted(name)) of shape \(shape) claims more bytes than the file holds", nil)
            }
            byteCount = product
        }
        guard offsets[1] - offsets[0] == byteCount else {
            throw malformed("tensor \(QuotedText.quoted(name)) has shape \(shape) of \(dtype) (\(byteCount) bytes) but data_offsets span \(offsets[1] - offsets[0]) bytes", nil)
        }
        return Entry(dtype: dtype, shape: shape, bytes: offsets[0]..<offsets[1])
    }

    /// The values as integers in 0...bound, or nil when one is not.
    private static func integers(_ values: [JSONValue], below bound: Int) -> [Int]? {
        var result: [Int] = []
        for value in values {
            guard case .number(let number) = value, number == number.rounded(), number >= 0, number <= Double(bound) else { return nil }
            result.append(Int(number))
        }
        return result
    }
}
