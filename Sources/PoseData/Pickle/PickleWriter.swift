/// Emits protocol 4 pickle opcodes for plain data and float32 numpy arrays.
///
/// Arrays are written as numpy itself pickles them (`_reconstruct` + BUILD with the raw bytes),
/// under the `numpy.core.multiarray` path: numpy 1.x has only that path, and numpy 2.x maps it to
/// `numpy._core` without a warning, so the files load with either.
struct PickleWriter {
    private(set) var bytes: [UInt8] = [PickleOpcode.proto, 4]

    mutating func finish() -> [UInt8] {
        bytes.append(PickleOpcode.stop)
        return bytes
    }

    mutating func opcode(_ code: UInt8) { bytes.append(code) }

    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        if utf8.count < 256 {
            bytes.append(PickleOpcode.shortBinUnicode)
            bytes.append(UInt8(utf8.count))
        } else if utf8.count <= Int(UInt32.max) {
            bytes.append(PickleOpcode.binUnicode)
            appendLittleEndian(UInt64(utf8.count), width: 4)
        } else {
            bytes.append(PickleOpcode.binUnicode8)
            appendLittleEndian(UInt64(utf8.count), width: 8)
        }
        bytes.append(contentsOf: utf8)
    }

    mutating func int(_ value: Int) {
        switch value {
        case 0...0xFF:
            bytes.append(PickleOpcode.binInt1)
            bytes.append(UInt8(value))
        case 0...0xFFFF:
            bytes.append(PickleOpcode.binInt2)
            appendLittleEndian(UInt64(value), width: 2)
        case Int(Int32.min)...Int(Int32.max):
            bytes.append(PickleOpcode.binInt)
            appendLittleEndian(UInt64(UInt32(bitPattern: Int32(value))), width: 4)
        default:
            bytes.append(PickleOpcode.long1)
            bytes.append(8)
            appendLittleEndian(UInt64(bitPattern: Int64(value)), width: 8)
        }
    }

    mutating func float(_ value: Double) {
        bytes.append(PickleOpcode.binFloat)
        let bits = value.bitPattern
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    mutating func byteString(_ data: UnsafeRawBufferPointer) {
        if data.count <= Int(UInt32.max) {
            bytes.append(PickleOpcode.binBytes)
            appendLittleEndian(UInt64(data.count), width: 4)
        } else {
            bytes.append(PickleOpcode.binBytes8)
            appendLittleEndian(UInt64(data.count), width: 8)
        }
        bytes.append(contentsOf: data)
    }

    mutating func global(_ module: String, _ name: String) {
        string(module)
        string(name)
        opcode(PickleOpcode.stackGlobal)
    }

    /// A tuple of ints (shapes).
    mutating func intTuple(_ values: [Int]) {
        opcode(PickleOpcode.mark)
        for value in values { int(value) }
        opcode(PickleOpcode.tuple)
    }

    /// A C-order little-endian float32 numpy array of `shape` holding `values`.
    mutating func float32Array(_ values: [Float], shape: [Int]) {
        global("numpy.core.multiarray", "_reconstruct")
        global("numpy", "ndarray")
        intTuple([0])
        bytes.append(PickleOpcode.shortBinBytes)
        bytes.append(1)
        bytes.append(UInt8(ascii: "b"))
        opcode(PickleOpcode.tuple3)
        opcode(PickleOpcode.reduce)
        // State: (version 1, shape, dtype, is_fortran False, raw data).
        opcode(PickleOpcode.mark)
        int(1)
        intTuple(shape)
        global("numpy", "dtype")
        string("f4")
        opcode(PickleOpcode.newFalse)
        opcode(PickleOpcode.newTrue)
        opcode(PickleOpcode.tuple3)
        opcode(PickleOpcode.reduce)
        // dtype state: (3, '<', None, None, None, -1, -1, 0), as numpy writes it.
        opcode(PickleOpcode.mark)
        int(3)
        string("<")
        opcode(PickleOpcode.none)
        opcode(PickleOpcode.none)
        opcode(PickleOpcode.none)
        int(-1)
        int(-1)
        int(0)
        opcode(PickleOpcode.tuple)
        opcode(PickleOpcode.build)
        opcode(PickleOpcode.newFalse)
        values.withUnsafeBytes { byteString($0) }  // Float is little-endian on every Swift platform we build for
        opcode(PickleOpcode.tuple)
        opcode(PickleOpcode.build)
    }

    private mutating func appendLittleEndian(_ value: UInt64, width: Int) {
        for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }
}
