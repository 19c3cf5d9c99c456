import Platform

extension PickleMachine {
    /// Looks a global up in the allow-list; anything else is an error that names it.
    func resolveGlobal(module: String, name: String) throws(PoseDataError) -> PickleNode {
        let qualified = "\(module).\(name)"
        guard let global = PickleGlobal.allowList[qualified],
              !(mode == .torchLegacy && global == .torchLoadFromBytes) else {
            throw unsupported(
                "the pickle asks for the global \(QuotedText.quoted(qualified)), which is not on this safe reader's allow-list, so it was not loaded "
                + "(nothing in a file is ever executed). The reader rebuilds plain Python data, numpy arrays, torch tensors, "
                + "OrderedDict and sets; convert other objects to those before pickling.")
        }
        return .global(global)
    }

    /// Applies an allow-listed global to its arguments (REDUCE, NEWOBJ, INST, OBJ), rebuilding
    /// what Python would, from data only.
    ///
    /// Longer than the usual limit on purpose: it is the allow-list itself, one `case` per global
    /// the reader accepts, so that what a pickle may call is visible in one place.
    mutating func call(_ callable: PickleNode, _ arguments: [PickleNode], _ what: String) throws(PoseDataError) -> PickleNode {
        guard case .global(let global) = callable else {
            throw malformed("\(what) calls a \(callable.kind(in: objects)), which is not an allowed function or class")
        }
        func requireArguments(_ range: ClosedRange<Int>) throws(PoseDataError) {
            guard range.contains(arguments.count) else {
                throw malformed("\(what) calls \(global.qualifiedName) with \(arguments.count) arguments; it takes \(range.lowerBound)–\(range.upperBound)")
            }
        }
        switch global {
        case .numpyReconstruct:
            try requireArguments(3...3)
            return objects.add(.ndarray(.pending))
        case .numpyDType:
            try requireArguments(1...3)
            guard let code = text(arguments[0]) else {
                throw malformed("numpy.dtype needs a type code as str, not \(arguments[0].kind(in: objects))")
            }
            return objects.add(.dtype(DTypeDescriptor(code)))
        case .numpyScalar:
            try requireArguments(1...2)
            let descriptor = try dtype(arguments[0], "numpy scalar")
            guard arguments.count == 2, let data = byteData(arguments[1]) else {
                return .opaque("numpy scalar of dtype \(descriptor.text)")
            }
            return try scalar(descriptor, data)
        case .numpyFromBuffer:
            try requireArguments(4...4)
            guard let data = byteData(arguments[0]) else {
                throw malformed("numpy _frombuffer needs bytes, not \(arguments[0].kind(in: objects))")
            }
            let descriptor = try dtype(arguments[1], "numpy _frombuffer")
            let shape = try integers(arguments[2], "the shape of numpy _frombuffer")
            guard case .string(let order) = arguments[3], order == "C" || order == "F" else {
                throw malformed("numpy _frombuffer needs order 'C' or 'F', not \(arguments[3].kind(in: objects))")
            }
            return try numpyArray(descriptor, shape: shape, fortran: order == "F", data: data)
        case .torchRebuildTensorV2, .torchRebuildTensor:
            try requireArguments(global == .torchRebuildTensor ? 4...4 : 6...7)
            return try tensor(arguments)
        case .torchLoadFromBytes:
            try requireArguments(1...1)
            guard case .bytes(let data, let offset) = arguments[0] else {
                throw malformed("torch.storage._load_from_bytes needs bytes, not \(arguments[0].kind(in: objects))")
            }
            // File slices keep file offsets as indices; copies are placed at this opcode.
            let storage = try TorchLegacyStorage.decode(
                data, baseOffset: (offset ?? baseOffset + opcodeOffset) - data.startIndex, fileName: fileName, budget: budget)
            return .storage(storage)
        case .torchSize:
            try requireArguments(0...1)
            return objects.add(.tuple, items: arguments.isEmpty ? [] : try iterableItems(arguments[0], "torch.Size"))
        case .orderedDict:
            try requireArguments(0...1)
            let dict = objects.add(.dict)
            guard let source = arguments.first, case .object(let index) = dict else { return dict }
            if let sourceDict = object(source, { if case .dict = $0 { return true } else { return false } }) {
                let items = objects.items[sourceDict]
                var position = 0
                while position + 1 < items.count {
                    objects.setItem(index, key: items[position], value: items[position + 1])
                    position += 2
                }
                return dict
            }
            for pair in try iterableItems(source, "OrderedDict") {
                guard let items = sequenceItems(pair), items.count == 2 else {
                    throw malformed("OrderedDict needs key-value pairs, not \(pair.kind(in: objects))")
                }
                objects.setItem(index, key: items[0], value: items[1])
            }
            return dict
        case .set, .frozenSet:
            try requireArguments(0...1)
            let items = arguments.isEmpty ? [] : try iterableItems(arguments[0], global.qualifiedName)
            return objects.add(global == .set ? .set : .frozenSet, items: items)
        case .bytearray, .bytes:
            let name = global == .bytes ? "bytes" : "bytearray"
            try requireArguments(0...3)
            guard let source = arguments.first else { return .bytes([], at: nil) }
            if case .bytes = source { return source }
            if case .int(let size) = source {
                // bytes(n): n zero bytes, made from nothing in the file, so charged to the budget.
                guard size >= 0, budget.take(size) else {
                    throw malformed("\(name)(\(size)) asks for \(size) zero bytes, more than this reader makes from a file of this size")
                }
                return .bytes([UInt8](repeating: 0, count: size)[...], at: nil)
            }
            if arguments.count >= 2 { return try encode(source, arguments[1]) }
            if let items = sequenceItems(source) {
                var result: [UInt8] = []
                result.reserveCapacity(items.count)
                for item in items {
                    guard case .int(let value) = item, (0...255).contains(value) else {
                        throw malformed("\(name) needs integers 0–255, not \(item.kind(in: objects))")
                    }
                    result.append(UInt8(value))
                }
                return .bytes(result[...], at: nil)
            }
            throw malformed("\(name) cannot be made from \(source.kind(in: objects))")
        case .codecsEncode:
            try requireArguments(1...3)
            return try encode(arguments[0], arguments.count > 1 ? arguments[1] : .string("utf-8"))
        case .numpyArrayClass, .torchStorageType:
            throw unsupported("\(what) calls \(global.qualifiedName) directly, which this reader does not rebuild")
        }
    }

    /// Applies BUILD's state to the object on the stack (numpy arrays and dtypes get theirs).
    mutating func build(_ target: PickleNode, state: PickleNode) throws(PoseDataError) {
        if case .object(let index) = target {
            switch objects.kinds[index] {
            case .ndarray(.pending):
                objects.setKind(index, .ndarray(try arrayState(state)))
                return
            case .dtype(var descriptor):
                let items = try tupleItems(state, "the state of a numpy dtype")
                guard items.count >= 2, case .string(let order) = items[1], let first = order.first, order.count == 1,
                      "<>|=".contains(first) else {
                    throw malformed("the state of a numpy dtype has no byte order")
                }
                descriptor.byteOrder = first
                objects.setKind(index, .dtype(descriptor))
                return
            default:
                break
            }
        }
        if case .none = state { return }
        if let dict = object(state, { if case .dict = $0 { return true } else { return false } }), objects.items[dict].isEmpty { return }
        throw unsupported("BUILD sets the state of a \(target.kind(in: objects)), which this reader does not rebuild")
    }

    /// Resolves a persistent id: only torch storages, and only inside torch's legacy serialization.
    mutating func persistentLoad(_ pid: PickleNode) throws(PoseDataError) -> PickleNode {
        guard mode == .torchLegacy else {
            throw unsupported("the pickle refers to data outside itself through a persistent id (as torch.save's zip format does); "
                              + "load it in Python and pickle the tensors with pickle.dump instead")
        }
        let items = try tupleItems(pid, "a torch persistent id")
        guard items.count == 5 || items.count == 6, case .string("storage") = items[0],
              case .global(.torchStorageType(let dtype)) = items[1], case .string(let key) = items[2] else {
            throw malformed("a torch persistent id must be ('storage', storage type, key, location, size)")
        }
        if items.count == 6, case .none = items[5] {} else if items.count == 6 {
            throw unsupported("torch storage views (view metadata in a persistent id) are not rebuilt")
        }
        return .storageRef(key: key, dtype: dtype)
    }

    // MARK: Arrays

    /// The array a numpy `__setstate__` tuple describes: (version, shape, dtype, is_fortran, data).
    private func arrayState(_ state: PickleNode) throws(PoseDataError) -> NDArrayState {
        var items = try tupleItems(state, "the state of a numpy array")
        if items.count == 5 { items.removeFirst() }  // the version; 4-item states come from old numpy
        guard items.count == 4 else { throw malformed("the state of a numpy array has \(items.count) items, not 4 or 5") }
        let shape = try integers(items[0], "the shape of a numpy array")
        let descriptor = try dtype(items[1], "numpy array")
        let fortran: Bool
        switch items[2] {
        case .bool(let value): fortran = value
        case .int(let value): fortran = value != 0
        default: throw malformed("the Fortran flag of a numpy array must be a bool, not \(items[2].kind(in: objects))")
        }
        guard let data = byteData(items[3]) else {
            return .opaque("numpy array of dtype \(descriptor.text) holding Python objects")
        }
        guard case .array(let array) = try numpyArray(descriptor, shape: shape, fortran: fortran, data: data) else {
            return .opaque("numpy array of dtype \(descriptor.text)")
        }
        return .built(array)
    }

    /// A numeric array from numpy's raw bytes in C or Fortran order, or `.opaque` for other dtypes.
    private func numpyArray(_ descriptor: DTypeDescriptor, shape: [Int], fortran: Bool, data: ArraySlice<UInt8>) throws(PoseDataError) -> PickleNode {
        guard let dtype = descriptor.dtype else { return .opaque("numpy array of dtype \(descriptor.text)") }
        guard let count = PickleArray.elementCount(shape),
              count.multipliedReportingOverflow(by: dtype.size) == (data.count, false) else {
            throw malformed("a numpy array of shape \(shape) and dtype \(descriptor.text) needs a different size than its \(data.count) data bytes")
        }
        var values = data
        if fortran, shape.count > 1, count > 0 {
            values = data.withUnsafeBytes { raw in
                PickleArray.gather(raw, elementSize: dtype.size, offset: 0, shape: shape, strides: PickleArray.fortranStrides(shape))
            }[...]
        }
        if descriptor.isBigEndian { PickleArray.swapBytes(&values, elementSize: dtype.size) }
        return .array(try PickleArray(dtype: dtype, shape: shape, data: values))
    }

    /// A numpy scalar as a plain int, float or bool.
    private func scalar(_ descriptor: DTypeDescriptor, _ data: ArraySlice<UInt8>) throws(PoseDataError) -> PickleNode {
        guard case .array(let array) = try numpyArray(descriptor, shape: [], fortran: false, data: data) else {
            return .opaque("numpy scalar of dtype \(descriptor.text)")
        }
        switch array.dtype {
        case .bool: return .bool(array.data.first != 0)
        case .float16, .float32, .float64: return .float(array.doubles()[0])
        case .uint64:
            let value = array.data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            return value <= UInt64(Int.max) ? .int(Int(value)) : PickleMachine.integer(fromTwosComplement: (array.data + [0])[...])
        case .int64:
            return .int(Int(array.data.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }))
        default: return .int(Int(array.doubles()[0]))
        }
    }

    /// A tensor from `_rebuild_tensor_v2(storage, offset, size, stride, ...)`, copied to C order.
    private func tensor(_ arguments: [PickleNode]) throws(PoseDataError) -> PickleNode {
        guard case .storage(let storage) = arguments[0] else {
            throw malformed("a torch tensor needs a storage, not \(arguments[0].kind(in: objects))")
        }
        guard case .int(let offset) = arguments[1] else {
            throw malformed("a torch tensor's storage offset must be an int, not \(arguments[1].kind(in: objects))")
        }
        let shape = try integers(arguments[2], "a torch tensor's size")
        let strides = try integers(arguments[3], "a torch tensor's stride")
        let count: Int
        switch PickleArray.checkView(shape: shape, strides: strides, offset: offset, available: storage.count) {
        case .success(let viewCount): count = viewCount
        case .failure(let error): throw malformed("torch tensor: \(error.message)")
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: storage.dtype.size)
        guard !overflow, budget.take(byteCount) else {
            throw unsupported("torch tensor of size \(shape) repeats its storage's elements beyond this reader's memory budget")
        }
        let data = storage.data.withUnsafeBytes { raw in
            PickleArray.gather(raw, elementSize: storage.dtype.size, offset: offset, shape: shape, strides: strides)
        }[...]
        return .array(try PickleArray(dtype: storage.dtype, shape: shape, data: data))
    }

    // MARK: Argument helpers

    /// The dtype descriptor a node refers to.
    private func dtype(_ node: PickleNode, _ what: String) throws(PoseDataError) -> DTypeDescriptor {
        guard case .object(let index) = node, case .dtype(let descriptor) = objects.kinds[index] else {
            throw malformed("\(what) needs a numpy dtype, not \(node.kind(in: objects))")
        }
        return descriptor
    }

    /// A tuple or list of ints (shapes, strides).
    private func integers(_ node: PickleNode, _ what: String) throws(PoseDataError) -> [Int] {
        guard let items = sequenceItems(node) else { throw malformed("\(what) must be a tuple of ints, not \(node.kind(in: objects))") }
        var result: [Int] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard case .int(let value) = item else { throw malformed("\(what) must hold ints, not \(item.kind(in: objects))") }
            result.append(value)
        }
        return result
    }

    /// The elements of a list, tuple, set or frozenset.
    private func iterableItems(_ node: PickleNode, _ what: String) throws(PoseDataError) -> [PickleNode] {
        guard case .object(let index) = node else { throw malformed("\(what) needs an iterable, not \(node.kind(in: objects))") }
        switch objects.kinds[index] {
        case .list, .tuple, .set, .frozenSet: return objects.items[index]
        default: throw malformed("\(what) needs a list, tuple or set, not \(node.kind(in: objects))")
        }
    }

    /// Text of a str or (ASCII) bytes node.
    private func text(_ node: PickleNode) -> String? {
        switch node {
        case .string(let text): return text
        case .bytes(let bytes, _): return String(validating: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// Raw bytes from bytes, or from a Python 2 str read as Latin-1.
    private func byteData(_ node: PickleNode) -> ArraySlice<UInt8>? {
        switch node {
        case .bytes(let bytes, _): return bytes
        case .string(let text): return PickleMachine.latin1Bytes(text)?[...]
        default: return nil
        }
    }

    /// `str.encode(encoding)` for the encodings pickles use to store bytes.
    private func encode(_ source: PickleNode, _ encoding: PickleNode) throws(PoseDataError) -> PickleNode {
        guard case .string(let text) = source, case .string(let name) = encoding else {
            throw malformed("encoding needs a str and an encoding name, not \(source.kind(in: objects)) and \(encoding.kind(in: objects))")
        }
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1":
            guard let bytes = PickleMachine.latin1Bytes(text) else {
                throw malformed("a str to encode as Latin-1 holds characters beyond U+00FF")
            }
            return .bytes(bytes[...], at: nil)
        case "utf-8", "utf8":
            return .bytes(Array(text.utf8)[...], at: nil)
        case "ascii":
            guard text.unicodeScalars.allSatisfy(\.isASCII) else { throw malformed("a str to encode as ASCII is not ASCII") }
            return .bytes(Array(text.utf8)[...], at: nil)
        default:
            throw unsupported("encoding \(QuotedText.quoted(name)) is not one this reader knows (latin1, utf-8, ascii)")
        }
    }

    /// A string's characters as bytes when all are Latin-1, else nil.
    static func latin1Bytes(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            result.append(UInt8(scalar.value))
        }
        return result
    }
}
