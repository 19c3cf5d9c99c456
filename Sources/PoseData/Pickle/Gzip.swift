import CZlib

/// gzip detection and inflation through zlib, for `.pkl.gz` files.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The largest output ``inflate(_:fileName:limit:)`` produces by default, against gzip bombs.
    public static let defaultLimit = 8 << 30

    /// Inflates gzip data (all members, as `gzip.open` reads them) into memory.
    ///
    /// Output grows as zlib produces it, so memory follows real data; more than `limit` bytes, a
    /// corrupt stream or a truncated one throw.
    public static func inflate(_ bytes: [UInt8], fileName: String? = nil, limit: Int = defaultLimit) throws(PoseDataError) -> [UInt8] {
        func failure(_ message: String, _ offset: Int?) -> PoseDataError {
            .malformed(file: fileName, offset: offset, message: "gzip: \(message)")
        }
        var output: [UInt8] = []
        output.reserveCapacity(min(max(bytes.count * 4, 1 << 16), limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var consumed = 0
        while consumed < bytes.count {
            // Members may be followed by zero padding; anything else must be another member.
            if bytes[consumed...].allSatisfy({ $0 == 0 }) { break }
            guard isCompressed(Array(bytes[consumed..<min(consumed + 2, bytes.count)])) else {
                throw failure("bytes after the compressed data are not another gzip member", consumed)
            }
            var stream = z_stream()
            guard hs_inflateInit2(&stream, 16 + 15) == Z_OK else { throw failure("zlib could not start", nil) }
            defer { inflateEnd(&stream) }
            var status = Z_OK
            let memberStart = consumed
            try bytes.withUnsafeBufferPointer { (input: UnsafeBufferPointer<UInt8>) throws(PoseDataError) in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                stream.avail_in = UInt32(clamping: input.count - consumed)
                repeat {
                    let produced = chunk.withUnsafeMutableBufferPointer { buffer -> Int in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = UInt32(buffer.count)
                        status = CZlib.inflate(&stream, Z_NO_FLUSH)
                        return buffer.count - Int(stream.avail_out)
                    }
                    let stalled = status == Z_BUF_ERROR && produced == 0
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw failure("the compressed data is corrupt (zlib error \(status))", memberStart + Int(stream.total_in))
                    }
                    guard output.count + produced <= limit else {
                        throw failure("the data inflates to more than \(limit) bytes; refusing to go on", nil)
                    }
                    output.append(contentsOf: chunk[0..<produced])
                    if status == Z_STREAM_END { break }
                    if stream.avail_in == 0 {
                        // Inputs over 4 GiB are fed in windows of at most UInt32.max bytes.
                        let used = memberStart + Int(stream.total_in)
                        if used < input.count {
                            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + used)
                            stream.avail_in = UInt32(clamping: input.count - used)
                        } else if produced < chunk.count {
                            throw failure("the compressed data is truncated", bytes.count)
                        }
                    } else if stalled {
                        throw failure("the compressed data is corrupt", memberStart + Int(stream.total_in))
                    }
                } while status != Z_STREAM_END
            }
            consumed = memberStart + Int(stream.total_in)
        }
        return output
    }
}
