import Foundation
import Platform

/// Reading and writing the safetensors format (Hugging Face): an 8-byte little-endian header length
/// `N`, `N` bytes of JSON (padded with spaces to a multiple of 8), then the raw little-endian data.
/// The JSON maps each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into
/// the data section) and may hold `"__metadata__"`: a string → string map.
///
/// Reads F32, F16, BF16 and F64 (converted to Float32); writes F32. Every length in a file is checked
/// against the file size before anything is allocated from it.
public enum SafeTensors {
    /// The contents of a file.
    public struct File: Sendable {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]
        /// Each tensor's stored dtype (`"F32"`, `"F16"`, `"BF16"`, `"F64"`).
        public var dtypes: [String: String]
    }

    /// Largest header accepted (the reference implementation's limit).
    static let maxHeaderLength = 100_000_000

    /// Reads a safetensors file. It is mapped, not read: ``decode(_:path:skippingNonFloat:keeping:)``
    /// copies the tensors out. (Not `Data(contentsOf:)`, which leaks 4 KiB on every empty file it
    /// reads.) With `skippingNonFloat`, entries of other dtypes (integer or boolean buffers such as a
    /// model's `position_ids`) are checked for size and left out instead of failing the read.
    /// Entries for which `keeping` is false are checked but not converted (a model file's parts that
    /// a reader does not use).
    public static func read(from url: URL, skippingNonFloat: Bool = false, keeping: (String) -> Bool = { _ in true }) throws -> File {
        let file: MappedFile
        do { file = try MappedFile(path: url.path) } catch {
            throw SafeTensorsError(path: url.path, problem: "cannot be read: \(error.reason)")
        }
        return try withExtendedLifetime(file) {
            guard let start = file.bytes.baseAddress else {
                return try decode(Data(), path: url.path, skippingNonFloat: skippingNonFloat, keeping: keeping)
            }
            let bytes = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: start), count: file.count, deallocator: .none)
            return try decode(bytes, path: url.path, skippingNonFloat: skippingNonFloat, keeping: keeping)
        }
    }

    /// Decodes the bytes of a safetensors file; `path` only names the source in errors.
    public static func decode(_ data: Data, path: String = "<memory>", skippingNonFloat: Bool = false,
                              keeping: (String) -> Bool = { _ in true }) throws -> File {
        func fail(_ problem: String) -> SafeTensorsError { SafeTensorsError(path: path, problem: problem) }
        guard data.count >= 8 else { throw fail("is truncated: \(data.count) bytes, shorter than the 8-byte header length") }
        let headerLength = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt64 in
            var value: UInt64 = 0
            for i in 0..<8 { value |= UInt64(raw[i]) << (8 * UInt64(i)) }
            return value
        }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("declares a \(headerLength)-byte header but only \(data.count - 8) bytes follow the length field (truncated or not a safetensors file)")
        }
        guard headerLength <= UInt64(maxHeaderLength) else { throw fail("declares a header of \(headerLength) bytes, above the 100 MB limit") }
        let n = Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8 ..< data.startIndex + 8 + n)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: headerBytes) } catch {
            throw fail("has a header that is not valid JSON (\(error.localizedDescription))")
        }
        guard let header = json as? [String: Any] else { throw fail("has a JSON header that is not an object") }
        let dataStart = 8 + n
        let dataSize = data.count - dataStart

        var file = File(tensors: [:], metadata: [:], dtypes: [:])
        var spans: [(range: Range<Int>, name: String)] = []
        if let meta = header["__metadata__"] {
            guard let map = meta as? [String: Any] else { throw fail("has a __metadata__ entry that is not an object") }
            for (k, v) in map {
                guard let s = v as? String else { throw fail("has __metadata__ value for \(QuotedText.quoted(k)) that is not a string") }
                file.metadata[k] = s
            }
        }
        for (name, entry) in header where name != "__metadata__" {
            guard let info = entry as? [String: Any] else { throw fail("entry \(QuotedText.quoted(name)) is not an object") }
            guard let dtype = info["dtype"] as? String else { throw fail("entry \(QuotedText.quoted(name)) has no dtype string") }
            guard let width = bytesPerElement[dtype] ?? (skippingNonFloat ? otherBytesPerElement[dtype] : nil) else {
                throw fail("entry \(QuotedText.quoted(name)) has dtype \(QuotedText.quoted(dtype)), which is not supported (supported: F32, F16, BF16, F64)")
            }
            guard let shapeAny = info["shape"] as? [Any], let shape = integers(shapeAny), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("entry \(QuotedText.quoted(name)) has a shape that is not a list of non-negative integers")
            }
            guard let offsetsAny = info["data_offsets"] as? [Any], let offsets = integers(offsetsAny), offsets.count == 2 else {
                throw fail("entry \(QuotedText.quoted(name)) has data_offsets that are not two integers")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw fail("entry \(QuotedText.quoted(name)) has data_offsets [\(begin), \(end)] outside the \(dataSize)-byte data section")
            }
            var count = 1
            for d in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, product <= dataSize else { throw fail("entry \(QuotedText.quoted(name)) has shape \(shape), larger than the file") }
                count = product
            }
            guard end - begin == count * width else {
                throw fail("entry \(QuotedText.quoted(name)) has shape \(shape) of \(dtype) (\(count * width) bytes) but data_offsets span \(end - begin) bytes")
            }
            spans.append((begin..<end, name))
            if bytesPerElement[dtype] == nil || !keeping(name) { continue }  // skipped, its extent checked
            let start = data.startIndex + dataStart + begin
            let scalars: [Float] = data.withUnsafeBytes { raw in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[(start - data.startIndex)..<(start - data.startIndex + count * width)])
                return convert(bytes, dtype: dtype, count: count)
            }
            file.tensors[name] = Tensor(shape: shape, scalars: scalars)
            file.dtypes[name] = dtype
        }
        // Each tensor owns its bytes (as the reference implementation requires): two names over
        // the same bytes are a damaged or crafted file, never a writer's output.
        spans.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        for (previous, next) in zip(spans, spans.dropFirst()) where next.range.lowerBound < previous.range.upperBound {
            throw fail("entries \(QuotedText.quoted(previous.name)) [\(previous.range.lowerBound), \(previous.range.upperBound)] and \(QuotedText.quoted(next.name)) [\(next.range.lowerBound), \(next.range.upperBound)] overlap; each tensor must have its own bytes")
        }
        return file
    }

    /// Writes `tensors` as F32 with `metadata`, atomically (``Platform/AtomicFile``), making
    /// missing directories. Tensors are laid out in name order.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws(SafeTensorsError) {
        do {
            try AtomicFile.write(encode(tensors, metadata: metadata), to: url, creatingDirectories: true)
        } catch {
            throw SafeTensorsError(path: url.path, problem: "cannot be written: \(error.problem)")
        }
    }

    /// The bytes of a safetensors file holding `tensors` (F32) and `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> Data {
        let names = tensors.keys.sorted()
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSONText.quoted($0)):\(JSONText.quoted(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            let t = tensors[name]!
            let bytes = t.count * 4
            entries.append("\(JSONText.quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }  // spaces, so the data starts 8-byte aligned
        var out = Data(capacity: 8 + header.count + offset)
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for name in names {
            tensors[name]!.withUnsafeBufferPointer { b in
                // Float32 in memory is little-endian on every platform Swift targets here.
                out.append(UnsafeBufferPointer(start: b.baseAddress, count: b.count))
            }
        }
        return out
    }

    static let bytesPerElement: [String: Int] = ["F32": 4, "F16": 2, "BF16": 2, "F64": 8]
    /// The other dtypes of the format, which a read may skip.
    static let otherBytesPerElement: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1, "I16": 2, "U16": 2, "I32": 4, "U32": 4, "I64": 8, "U64": 8,
    ]

    private static func integers(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in values {
            guard let n = v as? NSNumber else { return nil }
            let d = n.doubleValue
            guard d == d.rounded(), Swift.abs(d) < 9e15 else { return nil }
            out.append(n.intValue)
        }
        return out
    }

    private static func convert(_ bytes: UnsafeRawBufferPointer, dtype: String, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch dtype {
            case "F32":
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case "F64":
                for i in 0..<count { out[i] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
            case "BF16":
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
            default: // F16
                for i in 0..<count { out[i] = halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            }
            initialized = count
        }
    }

    /// IEEE 754 binary16 → binary32, including subnormals, infinities and NaN.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2⁻²⁴.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }

}

/// A safetensors file that cannot be read or written: names the file and what is wrong with it.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public var description: String { "safetensors file \(path) \(problem)" }
}
