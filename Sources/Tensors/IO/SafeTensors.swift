import Foundation
import Platform
@_exported import SafeTensorsFormat

/// Reading and writing the safetensors format (Hugging Face): an 8-byte little-endian header length
/// `N`, `N` bytes of JSON (padded with spaces to a multiple of 8), then the raw little-endian data.
/// The JSON maps each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into
/// the data section) and may hold `"__metadata__"`: a string → string map.
///
/// Reads F32, F16, BF16 and F64 (converted to Float32); writes F32. The file's bytes are parsed in
/// the `SafeTensorsFormat` module, which keeps its runtime checks (this module is compiled with
/// `-Ounchecked`): every length in a file is checked against the file size before anything is
/// allocated from it.
public enum SafeTensors {
    /// The contents of a file.
    public struct File: Sendable {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]
        /// Each tensor's stored dtype (`"F32"`, `"F16"`, `"BF16"`, `"F64"`).
        public var dtypes: [String: String]
    }

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

    /// Decodes the bytes of a safetensors file; `path` only names the source in errors. The header
    /// is parsed and checked by ``SafeTensorsFormat/SafeTensorsHeader`` (a module with runtime checks:
    /// this one has none), which also converts each kept entry's bytes.
    public static func decode(_ data: Data, path: String = "<memory>", skippingNonFloat: Bool = false,
                              keeping: (String) -> Bool = { _ in true }) throws -> File {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws(SafeTensorsError) -> File in
            let header = try SafeTensorsHeader(raw, path: path, skippingNonFloat: skippingNonFloat)
            var file = File(tensors: [:], metadata: header.metadata, dtypes: [:])
            for entry in header.entries where entry.isFloat && keeping(entry.name) {
                file.tensors[entry.name] = Tensor(shape: entry.shape, scalars: header.floats(of: entry, in: raw))
                file.dtypes[entry.name] = entry.dtype
            }
            return file
        }
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
}
