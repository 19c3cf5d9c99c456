import Foundation
import Platform

/// The header of a safetensors file (Hugging Face): an 8-byte little-endian header length `N`, `N`
/// bytes of JSON, then the raw little-endian data. The JSON maps each tensor name to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into the data section) and may hold
/// `"__metadata__"`: a string → string map.
///
/// This module parses bytes from files anyone may have made, so it is compiled with every runtime
/// check on (the numeric module `Tensors`, built with `-Ounchecked`, only takes its results):
/// every length, offset and shape is checked against the file's size before it is used, and two
/// tensors may not share bytes.
public struct SafeTensorsHeader: Sendable {
    /// One tensor of the file.
    public struct Entry: Sendable {
        public let name: String
        /// `"F32"`, `"F16"`, `"BF16"`, `"F64"`, or (when skipped) another dtype of the format.
        public let dtype: String
        public let shape: [Int]
        /// The number of elements.
        public let count: Int
        /// The entry's `data_offsets`: its bytes, relative to the data section.
        public let offsets: Range<Int>
        /// Whether the dtype is one ``SafeTensorsHeader/floats(of:in:)`` converts.
        public var isFloat: Bool { SafeTensorsHeader.bytesPerElement[dtype] != nil }
    }

    /// The tensors, in the header's order.
    public let entries: [Entry]
    public let metadata: [String: String]
    /// Where the data section starts in the file (8 + the header's length).
    public let dataStart: Int
    /// Each name's position in ``entries``.
    private let positions: [String: Int]

    /// Largest header accepted (the reference implementation's limit).
    public static let maxHeaderLength = 100_000_000

    /// Bytes per element of the float dtypes read (converted to Float32).
    public static let bytesPerElement: [String: Int] = ["F32": 4, "F16": 2, "BF16": 2, "F64": 8]
    /// The other dtypes of the format, which a read may skip.
    public static let otherBytesPerElement: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1, "I16": 2, "U16": 2, "I32": 4, "U32": 4, "I64": 8, "U64": 8,
    ]

    /// Parses the header of the file whose bytes are `data`; `path` names it in errors. With
    /// `skippingNonFloat`, entries of other dtypes are checked and kept (``Entry/isFloat`` false)
    /// instead of failing the read.
    public init(_ data: UnsafeRawBufferPointer, path: String, skippingNonFloat: Bool) throws(SafeTensorsError) {
        func fail(_ problem: String) -> SafeTensorsError { SafeTensorsError(path: path, problem: problem) }
        guard data.count >= 8 else { throw fail("is truncated: \(data.count) bytes, shorter than the 8-byte header length") }
        let headerLength = UInt64(littleEndian: data.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(Self.maxHeaderLength) else { throw fail("declares a header of \(headerLength) bytes, above the 100 MB limit") }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("declares a \(headerLength)-byte header but only \(data.count - 8) bytes follow the length field (truncated or not a safetensors file)")
        }
        let dataStart = 8 + Int(headerLength)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(data[8..<dataStart])) } catch {
            throw fail("has a header that is not valid JSON (\(error.localizedDescription))")
        }
        guard let header = json as? [String: Any] else { throw fail("has a JSON header that is not an object") }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let map = meta as? [String: Any] else { throw fail("has a __metadata__ entry that is not an object") }
            for (k, v) in map {
                guard let s = v as? String else { throw fail("has __metadata__ value for \(QuotedText.quoted(k)) that is not a string") }
                metadata[k] = s
            }
        }
        var entries: [Entry] = []
        for (name, entry) in header where name != "__metadata__" {
            entries.append(try Self.entry(name, entry, dataSize: data.count - dataStart, skippingNonFloat: skippingNonFloat, fail: fail))
        }
        try Self.checkDisjoint(entries, fail: fail)
        self.entries = entries
        self.metadata = metadata
        self.dataStart = dataStart
        // A JSON object's names are unique once parsed, so no name is dropped here.
        positions = Dictionary(entries.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The tensor named `name`, if the file has one.
    public func entry(named name: String) -> Entry? { positions[name].map { entries[$0] } }

    /// Where the bytes of `entry` (one of ``entries``) lie in the file: its `data_offsets` moved
    /// past the header.
    public func fileRange(of entry: Entry) -> Range<Int> {
        (dataStart + entry.offsets.lowerBound)..<(dataStart + entry.offsets.upperBound)
    }

    /// The bytes of `entry` (one of ``entries``) inside `data`, the file's bytes this header was
    /// parsed from.
    public func bytes(of entry: Entry, in data: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: data[fileRange(of: entry)])
    }

    /// One entry, its dtype, shape and offsets checked against the data section.
    private static func entry(_ name: String, _ value: Any, dataSize: Int, skippingNonFloat: Bool,
                              fail: (String) -> SafeTensorsError) throws(SafeTensorsError) -> Entry {
        guard let info = value as? [String: Any] else { throw fail("entry \(QuotedText.quoted(name)) is not an object") }
        guard let dtype = info["dtype"] as? String else { throw fail("entry \(QuotedText.quoted(name)) has no dtype string") }
        guard let width = bytesPerElement[dtype] ?? (skippingNonFloat ? otherBytesPerElement[dtype] : nil) else {
            let known = (skippingNonFloat ? [bytesPerElement, otherBytesPerElement] : [bytesPerElement]).flatMap(\.keys).sorted()
            throw fail("entry \(QuotedText.quoted(name)) has dtype \(QuotedText.quoted(dtype)), which is not supported (supported: \(known.joined(separator: ", ")))")
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
        return Entry(name: name, dtype: dtype, shape: shape, count: count, offsets: begin..<end)
    }

    /// Each tensor owns its bytes (as the reference implementation requires): two names over the
    /// same bytes are a damaged or crafted file, never a writer's output.
    private static func checkDisjoint(_ entries: [Entry], fail: (String) -> SafeTensorsError) throws(SafeTensorsError) {
        let spans = entries.sorted { ($0.offsets.lowerBound, $0.offsets.upperBound) < ($1.offsets.lowerBound, $1.offsets.upperBound) }
        for (previous, next) in zip(spans, spans.dropFirst()) where next.offsets.lowerBound < previous.offsets.upperBound {
            let (a, b) = (previous.offsets, next.offsets)
            throw fail("entries \(QuotedText.quoted(previous.name)) [\(a.lowerBound), \(a.upperBound)] and \(QuotedText.quoted(next.name)) [\(b.lowerBound), \(b.upperBound)] overlap; each tensor must have its own bytes")
        }
    }

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
}
