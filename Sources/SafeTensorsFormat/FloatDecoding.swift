import Platform

extension SafeTensorsHeader {
    /// The elements of `entry` (a float dtype: F32, F16, BF16 or F64) as Float32, read from
    /// `data`, the file's bytes this header was parsed from.
    public func floats(of entry: Entry, in data: UnsafeRawBufferPointer) -> [Float] {
        guard entry.isFloat else { fatalError("entry '\(entry.name)' of dtype \(entry.dtype) is not a float tensor") }
        let bytes = bytes(of: entry, in: data)
        let count = entry.count
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch entry.dtype {
            case "F32":
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case "F64":
                for i in 0..<count { out[i] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
            case "BF16":
                for i in 0..<count { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
            default: // F16
                for i in 0..<count { out[i] = Float(binary16BitPattern: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            }
            initialized = count
        }
    }
}
