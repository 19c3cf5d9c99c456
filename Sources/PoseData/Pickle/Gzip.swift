import CZlib

/// gzip detection and inflation through zlib, for `.pkl.gz` files.
enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The most bytes any gzip file inflates to.
    static let absoluteLimit = 8 << 30
    /// The most bytes a gzip file inflates to per compressed byte. Pose data compresses 1.1–3×
    /// (noisy floats; zeros where joints are missing); deflate's own maximum is about 1032×, which
    /// only runs of one byte (a gzip bomb) reach.
    static let ratioLimit = 100
    /// The least limit, so that small files of very regular data still inflate.
    static let minimumLimit = 64 << 20

    /// The most bytes a gzip file of `compressedSize` bytes inflates to here.
    static func limit(forCompressedSize compressedSize: Int) -> Int {
        let (relative, overflow) = compressedSize.multipliedReportingOverflow(by: ratioLimit)
        return min(absoluteLimit, max(minimumLimit, overflow ? absoluteLimit : relative))
    }

    /// Inflates gzip data (all members, as `gzip.open` reads them) into memory, refusing more than
    /// ``limit(forCompressedSize:)`` bytes.
    static func inflate(_ bytes: [UInt8], fileName: String? = nil) throws(PoseDataError) -> [UInt8] {
        let stream = try InflatingBuffer(bytes, fileName: fileName)
        try stream.finish()
        return stream.bytes
    }
}

/// gzip data inflated as a reader asks for it, so a bomb is refused when the reader sees its first
/// bad byte rather than after gigabytes: ``fill(toAtLeast:)`` inflates only as far as asked (at
/// least doubling what it holds, so the copies a growing buffer makes stay linear in total),
/// and never beyond ``limit``, a multiple of the compressed size.
final class InflatingBuffer {
    /// The bytes inflated so far.
    private(set) var bytes: [UInt8] = []
    /// The most bytes this data may inflate to.
    let limit: Int
    /// Whether every member has been inflated.
    private(set) var isComplete = false

    private let compressed: [UInt8]
    private let fileName: String?
    private var stream = z_stream()
    private var streamOpen = false
    /// Where the member being inflated starts in `compressed`.
    private var memberStart = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    init(_ compressed: [UInt8], fileName: String?) throws(PoseDataError) {
        self.compressed = compressed
        self.fileName = fileName
        limit = Gzip.limit(forCompressedSize: compressed.count)
        try startMember()
    }

    deinit {
        if streamOpen { inflateEnd(&stream) }
    }

    func failure(_ message: String, _ offset: Int?) -> PoseDataError {
        .malformed(file: fileName, offset: offset, message: "gzip: \(message)")
    }

    /// The error for a reader that needs `count` bytes, more than ``limit``.
    func overLimit(_ count: Int, _ what: String) -> PoseDataError {
        failure("\(what) needs \(count) bytes, but this file of \(compressed.count) compressed bytes may inflate to at most \(limit) "
                + "(\(Gzip.ratioLimit) × its size, at least \(Gzip.minimumLimit >> 20) MiB, at most \(Gzip.absoluteLimit >> 30) GiB); "
                + "the data is hostile or corrupt", nil)
    }

    /// Inflates until at least `count` bytes are held or the data ends; true when `count` are held.
    @discardableResult
    func fill(toAtLeast count: Int, _ what: String = "the data") throws(PoseDataError) -> Bool {
        guard count > bytes.count else { return true }
        guard count <= limit else { throw overLimit(count, what) }
        let target = min(limit, max(count, 2 * bytes.count, chunk.count))
        while bytes.count < target, !isComplete {
            try inflateChunk(upTo: target - bytes.count)
        }
        return bytes.count >= count
    }

    /// Inflates everything that is left, checking the stream to its end (CRC, length, truncation).
    func finish() throws(PoseDataError) {
        while !isComplete {
            // At the limit one more byte is asked for: the stream may end without it.
            try inflateChunk(upTo: max(1, limit - bytes.count))
            guard bytes.count <= limit else {
                throw failure("the data inflates to more than \(limit) bytes; refusing to go on", nil)
            }
        }
    }

    private func startMember() throws(PoseDataError) {
        stream = z_stream()
        guard hs_inflateInit2(&stream, 16 + 15) == Z_OK else { throw failure("zlib could not start", nil) }
        streamOpen = true
    }

    /// One call to zlib: at most `room` (and one chunk of) new bytes.
    private func inflateChunk(upTo room: Int) throws(PoseDataError) {
        let used = memberStart + Int(stream.total_in)
        var status = Z_OK
        let capacity = min(room, chunk.count)
        let produced = compressed.withUnsafeBufferPointer { input in
            chunk.withUnsafeMutableBufferPointer { output -> Int in
                // Inputs over 4 GiB are fed in windows of at most UInt32.max bytes.
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + used)
                stream.avail_in = UInt32(clamping: input.count - used)
                stream.next_out = output.baseAddress
                stream.avail_out = UInt32(capacity)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                return capacity - Int(stream.avail_out)
            }
        }
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw failure("the compressed data is corrupt (zlib error \(status))", memberStart + Int(stream.total_in))
        }
        bytes.append(contentsOf: chunk[0..<produced])
        if status == Z_STREAM_END {
            try endMember()
        } else if produced == 0 {
            // No progress with room to write: the input ran out mid-member, or zlib is stuck.
            let consumed = memberStart + Int(stream.total_in)
            throw consumed >= compressed.count
                ? failure("the compressed data is truncated", compressed.count)
                : failure("the compressed data is corrupt", consumed)
        }
    }

    /// After a member's end: the next member, zero padding, or the end of the data.
    private func endMember() throws(PoseDataError) {
        memberStart += Int(stream.total_in)
        inflateEnd(&stream)
        streamOpen = false
        // Members may be followed by zero padding; anything else must be another member.
        if compressed[memberStart...].allSatisfy({ $0 == 0 }) {
            isComplete = true
            return
        }
        guard compressed.count - memberStart >= 2, compressed[memberStart] == 0x1F, compressed[memberStart + 1] == 0x8B else {
            throw failure("bytes after the compressed data are not another gzip member", memberStart)
        }
        try startMember()
    }
}
