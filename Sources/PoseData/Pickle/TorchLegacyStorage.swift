import Platform

/// torch's legacy serialization of one storage, the bytes `torch.storage._load_from_bytes` reads
/// when a tensor was pickled with plain `pickle.dump`.
///
/// Layout: five pickles back to back — the magic number 0x1950a86a20f9469cfc6c, the protocol
/// version 1001, a sys-info dict (byte order, type sizes), the object (a storage given as the
/// persistent id `('storage', torch.FloatStorage, key, location, numel)`), and the list of storage
/// keys — then, for each key in that order, an 8-byte little-endian element count and the raw
/// little-endian elements.
enum TorchLegacyStorage {
    /// The magic number torch writes first, as little-endian two's-complement bytes.
    static let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    /// The only legacy protocol version torch has written.
    static let protocolVersion = 1001

    /// Decodes the storage in `bytes`; `baseOffset` plus an index of `bytes` is a file offset.
    static func decode(_ bytes: ArraySlice<UInt8>, baseOffset: Int, fileName: String?, budget: PickleBudget) throws(PoseDataError) -> TorchStorage {
        var position = bytes.startIndex
        func next() throws(PoseDataError) -> (PickleNode, PickleMachine) {
            var machine = PickleMachine(bytes: bytes, start: position, baseOffset: baseOffset, fileName: fileName,
                                        mode: .torchLegacy, budget: budget)
            let node = try machine.run()
            position = machine.position
            return (node, machine)
        }
        func fail(_ message: String) -> PoseDataError {
            .malformed(file: fileName, offset: baseOffset + position, message: "torch legacy storage: \(message)")
        }

        let (magicNode, _) = try next()
        guard case .bigInt(let magicBytes) = magicNode, magicBytes == magic else {
            throw fail("the bytes do not start with torch's magic number")
        }
        let (versionNode, _) = try next()
        guard case .int(let version) = versionNode, version == protocolVersion else {
            throw fail("protocol version is not \(protocolVersion)")
        }
        let (sysInfo, sysMachine) = try next()
        if case .object(let index) = sysInfo {
            let items = sysMachine.objects.items[index]
            var entry = 0
            while entry + 1 < items.count {
                if case .string("little_endian") = items[entry], case .bool(false) = items[entry + 1] {
                    throw PoseDataError.unsupported("\(fileName ?? "input"): torch storage written on a big-endian machine is not supported")
                }
                entry += 2
            }
        }
        let (object, objectMachine) = try next()
        guard case .storageRef(let key, let dtype) = object else {
            throw fail("the serialized object is a \(object.kind(in: objectMachine.objects)), not a storage")
        }
        let (keysNode, keysMachine) = try next()
        guard let keyNodes = keysMachine.sequenceItems(keysNode) else { throw fail("the storage key list is missing") }

        var found: ArraySlice<UInt8>?
        for keyNode in keyNodes {
            guard case .string(let storageKey) = keyNode else { throw fail("a storage key is not a str") }
            guard bytes.endIndex - position >= 8 else { throw fail("the element count of storage \(QuotedText.quoted(storageKey)) is truncated") }
            var count: UInt64 = 0
            for index in (position..<(position + 8)).reversed() { count = count << 8 | UInt64(bytes[index]) }
            position += 8
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: UInt64(dtype.size))
            guard !overflow, byteCount <= UInt64(bytes.endIndex - position) else {
                throw fail("storage \(QuotedText.quoted(storageKey)) claims \(count) elements, more than the \(bytes.endIndex - position) bytes left")
            }
            let range = position..<(position + Int(byteCount))
            position = range.upperBound
            if storageKey == key { found = bytes[range] }
        }
        guard let data = found else { throw fail("storage \(QuotedText.quoted(key)) is not among the stored keys") }
        return TorchStorage(dtype: dtype, data: data)
    }
}
