/// The globals the safe reader rebuilds. A pickle names functions and classes to call; only
/// these are recognised, and each is re-implemented here for its data-only meaning.
enum PickleGlobal: Equatable {
    /// `numpy.core.multiarray._reconstruct` / `numpy._core.multiarray._reconstruct`: an empty
    /// array that BUILD fills in.
    case numpyReconstruct
    /// `numpy.ndarray`, the class passed to `_reconstruct`.
    case numpyArrayClass
    /// `numpy.dtype(code, align, copy)`; BUILD sets the byte order.
    case numpyDType
    /// `numpy.core.multiarray.scalar(dtype, bytes)`: a numpy scalar.
    case numpyScalar
    /// `numpy.core.numeric._frombuffer(buffer, dtype, shape, order)` (protocol 5).
    case numpyFromBuffer
    /// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`.
    case torchRebuildTensorV2
    /// `torch._utils._rebuild_tensor(storage, offset, size, stride)`.
    case torchRebuildTensor
    /// `torch.storage._load_from_bytes(bytes)`: torch's legacy serialization of one storage.
    case torchLoadFromBytes
    /// `torch.FloatStorage` and friends: a storage's element type.
    case torchStorageType(PickleArray.DType)
    /// `torch.Size(tuple)`.
    case torchSize
    /// `collections.OrderedDict`.
    case orderedDict
    /// `builtins.set` / `builtins.frozenset`.
    case set, frozenSet
    /// `builtins.bytearray`.
    case bytearray
    /// `builtins.bytes`.
    case bytes
    /// `_codecs.encode(text, encoding)`: how protocols 0–2 store `bytes` written by Python 3.
    case codecsEncode

    /// The allow-list: `module.name` as pickles spell them → meaning.
    static let allowList: [String: PickleGlobal] = {
        var table: [String: PickleGlobal] = [:]
        for core in ["numpy.core", "numpy._core"] {
            table["\(core).multiarray._reconstruct"] = .numpyReconstruct
            table["\(core).multiarray.scalar"] = .numpyScalar
            table["\(core).numeric._frombuffer"] = .numpyFromBuffer
        }
        table["numpy.ndarray"] = .numpyArrayClass
        table["numpy.dtype"] = .numpyDType
        table["torch._utils._rebuild_tensor_v2"] = .torchRebuildTensorV2
        table["torch._utils._rebuild_tensor"] = .torchRebuildTensor
        table["torch.storage._load_from_bytes"] = .torchLoadFromBytes
        table["torch.Size"] = .torchSize
        let storages: [(String, PickleArray.DType)] = [
            ("FloatStorage", .float32), ("DoubleStorage", .float64), ("HalfStorage", .float16),
            ("LongStorage", .int64), ("IntStorage", .int32), ("ShortStorage", .int16),
            ("CharStorage", .int8), ("ByteStorage", .uint8), ("BoolStorage", .bool),
        ]
        for (name, dtype) in storages { table["torch.\(name)"] = .torchStorageType(dtype) }
        table["collections.OrderedDict"] = .orderedDict
        for builtins in ["builtins", "__builtin__"] {
            table["\(builtins).set"] = .set
            table["\(builtins).frozenset"] = .frozenSet
            table["\(builtins).bytearray"] = .bytearray
            table["\(builtins).bytes"] = .bytes
        }
        table["_codecs.encode"] = .codecsEncode
        return table
    }()

    /// Every allowed `module.name`, sorted, for documentation and error messages.
    static var allowedNames: [String] { allowList.keys.sorted() }

    /// A readable name of the global.
    var qualifiedName: String {
        PickleGlobal.allowedNames.first { PickleGlobal.allowList[$0] == self } ?? "\(self)"
    }
}
