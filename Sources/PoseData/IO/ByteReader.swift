/// A little-endian reader over a byte buffer that checks every length against the bytes left.
///
/// Binary readers in this module (`.pose`) go through it so that a corrupt length can never make
/// them read past the end or allocate more than the input could hold.
struct ByteReader {
    /// The whole input.
    let bytes: [UInt8]
    /// The file name used in error messages.
    let file: String?
    /// The offset of the next byte to read.
    private(set) var offset: Int = 0

    init(bytes: [UInt8], file: String?) {
        self.bytes = bytes
        self.file = file
    }

    /// Bytes not yet read.
    var remaining: Int { bytes.count - offset }

    /// An error at the current offset.
    func malformed(_ message: String, at position: Int? = nil) -> PoseDataError {
        .malformed(file: file, offset: position ?? offset, message: message)
    }

    /// Throws unless `count` more bytes are available; `what` names the value for the message.
    /// Descriptions are autoclosures, built only for an error: a header names each of its hundreds
    /// of points, limbs and colours, and escaping those names up front took most of a read.
    func require(_ count: Int, for what: @autoclosure () -> String) throws(PoseDataError) {
        guard count >= 0, count <= remaining else {
            throw malformed("the file ends inside \(what()): it needs \(count) bytes, \(remaining) are left (truncated or corrupt file)")
        }
    }

    mutating func readUInt16(_ what: @autoclosure () -> String) throws(PoseDataError) -> UInt16 {
        try require(2, for: what())
        let value = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
        offset += 2
        return value
    }

    mutating func readInt16(_ what: @autoclosure () -> String) throws(PoseDataError) -> Int16 {
        Int16(bitPattern: try readUInt16(what()))
    }

    mutating func readUInt32(_ what: @autoclosure () -> String) throws(PoseDataError) -> UInt32 {
        try require(4, for: what())
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
        offset += 4
        return value
    }

    mutating func readFloat32(_ what: @autoclosure () -> String) throws(PoseDataError) -> Float {
        Float(bitPattern: try readUInt32(what()))
    }

    /// A string stored as a UInt16 byte length followed by UTF-8 bytes.
    mutating func readString(_ what: @autoclosure () -> String) throws(PoseDataError) -> String {
        let start = offset
        let length = Int(try readUInt16("the length of \(what())"))
        try require(length, for: what())
        let slice = bytes[offset..<(offset + length)]
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw malformed("\(what()) is not valid UTF-8", at: start)
        }
        offset += length
        return string
    }

    /// `count` little-endian float32 values; `count` must fit in the bytes left.
    mutating func readFloat32Array(count: Int, _ what: @autoclosure () -> String) throws(PoseDataError) -> [Float] {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: 4)
        guard !overflow else { throw malformed("\(what()) claims \(count) values, more than any file can hold") }
        try require(byteCount, for: what())
        let start = offset
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                let source = UnsafeRawBufferPointer(rebasing: raw[start..<(start + byteCount)])
                for i in 0..<count {
                    buffer[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                }
            }
            initialized = count
        }
        offset += byteCount
        return values
    }
}

/// A growing little-endian byte buffer for binary writers.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func write(_ value: Int16) { write(UInt16(bitPattern: value)) }

    mutating func write(_ value: UInt32) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }

    mutating func write(_ value: Float) { write(value.bitPattern) }

    /// Writes `values` as little-endian float32.
    mutating func write(_ values: [Float]) {
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values { write(value.bitPattern) }
    }

    /// Writes a UInt16 byte length and the UTF-8 bytes; the caller has checked the length fits.
    mutating func writeString(_ string: String) {
        let utf8 = Array(string.utf8)
        write(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
