/// GIF's variable-width LZW: codes grow from `minimumCodeSize + 1` to 12 bits; when the table is
/// full a clear code starts a new one. Codes are packed least significant bit first into data
/// sub-blocks of at most 255 bytes.
public struct LZWCompressor {
    /// Open-addressed table from (prefix code, next index) to code; a slot is live when its stamp
    /// equals the current generation, so clearing the table costs nothing.
    private var keys = [UInt32](repeating: 0, count: tableSize)
    private var codes = [UInt16](repeating: 0, count: tableSize)
    private var stamps = [UInt32](repeating: 0, count: tableSize)
    private var generation: UInt32 = 0
    private static let tableSize = 1 << 13

    public init() {}

    /// Compresses the indices inside `box` of an image of rows `rowLength` indices long (each
    /// index below `1 << minimumCodeSize`, 2…8 bits) and appends the data sub-blocks to `output`.
    /// The box must lie inside `indices`: checked once here, since this module has no bounds checks.
    public mutating func compress(_ indices: [UInt8], rowLength: Int, box: PixelBox, minimumCodeSize: Int, into output: inout [UInt8]) {
        guard (2...8).contains(minimumCodeSize), box.x >= 0, box.y >= 0, box.width >= 1, box.height >= 1,
              box.x + box.width <= rowLength, (box.y + box.height) * rowLength <= indices.count else {
            fatalError("LZW box \(box) outside \(indices.count) indices of rows of \(rowLength), or code size \(minimumCodeSize)")
        }
        var writer = BitWriter()
        let clearCode = 1 << minimumCodeSize
        var codeSize = minimumCodeSize + 1
        var nextCode = clearCode + 2
        generation &+= 1
        writer.write(clearCode, bits: codeSize)
        var prefix = -1
        let mask = Self.tableSize - 1
        let generation = self.generation
        var current = generation
        keys.withUnsafeMutableBufferPointer { keys in
            codes.withUnsafeMutableBufferPointer { codes in
                stamps.withUnsafeMutableBufferPointer { stamps in
                    for row in box.y..<(box.y + box.height) {
                        let start = row * rowLength + box.x
                        for position in start..<(start + box.width) {
                            let index = Int(indices[position])
                            if prefix < 0 {
                                prefix = index
                                continue
                            }
                            let key = UInt32(prefix << 8 | index)
                            var slot = Int((key &* 2_654_435_761) >> 19) & mask
                            var found = -1
                            while stamps[slot] == current {
                                if keys[slot] == key { found = Int(codes[slot]); break }
                                slot = (slot + 1) & mask
                            }
                            if found >= 0 {
                                prefix = found
                                continue
                            }
                            writer.write(prefix, bits: codeSize)
                            keys[slot] = key
                            codes[slot] = UInt16(nextCode)
                            stamps[slot] = current
                            // The decoder widens its codes one code later than it adds this entry.
                            if nextCode >= 1 << codeSize { codeSize += 1 }
                            if nextCode == 4095 {
                                // The table is full: start a new one (the last entry is never used).
                                writer.write(clearCode, bits: codeSize)
                                current &+= 1
                                codeSize = minimumCodeSize + 1
                                nextCode = clearCode + 2
                            } else {
                                nextCode += 1
                            }
                            prefix = index
                        }
                    }
                }
            }
        }
        self.generation = current
        if prefix >= 0 { writer.write(prefix, bits: codeSize) }
        writer.write(clearCode + 1, bits: codeSize)
        writer.flush(into: &output)
    }
}

/// Packs codes least significant bit first and cuts the bytes into GIF data sub-blocks.
private struct BitWriter {
    private var data: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var pending = 0

    mutating func write(_ code: Int, bits: Int) {
        accumulator |= UInt64(code) << UInt64(pending)
        pending += bits
        while pending >= 8 {
            data.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            pending -= 8
        }
    }

    mutating func flush(into output: inout [UInt8]) {
        if pending > 0 { data.append(UInt8(truncatingIfNeeded: accumulator)) }
        var offset = 0
        while offset < data.count {
            let length = min(255, data.count - offset)
            output.append(UInt8(length))
            output += data[offset..<(offset + length)]
            offset += length
        }
        output.append(0)  // block terminator
    }
}
