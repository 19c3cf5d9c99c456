/// A value on the unpickler's stack or in its memo while a pickle is being read.
///
/// Containers live in ``PickleObjects`` and are referred to by index, so that the memo and the
/// stack share them as Python does (`APPEND` after `MEMOIZE` is seen through both), and so that
/// no chain of nested values can recurse when it is freed: nodes never contain nodes.
enum PickleNode {
    case none
    case bool(Bool)
    case int(Int)
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    /// Bytes, with the file offset of their first byte when they were read from the file as is.
    case bytes([UInt8], at: Int?)
    case array(PickleArray)
    case opaque(String)
    /// An allow-listed global (a function or class) that REDUCE/BUILD can apply.
    case global(PickleGlobal)
    /// A container or partially built object in the arena.
    case object(Int)
    /// A typed torch storage decoded from torch's legacy serialization.
    case storage(TorchStorage)
    /// A persistent reference to a storage inside torch's legacy serialization.
    case storageRef(key: String, dtype: PickleArray.DType)

    /// A short name of the node's kind for error messages.
    func kind(in objects: PickleObjects) -> String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .array: return "array"
        case .opaque(let what): return what
        case .global(let global): return "global \(global.qualifiedName)"
        case .object(let index): return objects.kinds[index].name
        case .storage: return "torch storage"
        case .storageRef: return "torch storage reference"
        }
    }
}

/// A typed torch storage: its element type and little-endian element bytes.
struct TorchStorage {
    let dtype: PickleArray.DType
    let data: [UInt8]
    var count: Int { data.count / dtype.size }
}

/// The state of a numpy array made by `_reconstruct` and filled in by BUILD.
enum NDArrayState {
    case pending
    case built(PickleArray)
    case opaque(String)
}

/// A numpy dtype made by `numpy.dtype(code, align, copy)` and given its byte order by BUILD.
struct DTypeDescriptor {
    /// Kind and size without byte order, e.g. `f4`, `U8`, `O8`.
    var code: String
    /// `<`, `>`, `|` or `=`.
    var byteOrder: Character

    /// Parses numpy's type strings (`f4`, `<f8`, `|b1`, ...).
    init(_ text: String) {
        if let first = text.first, "<>|=".contains(first) {
            byteOrder = first
            code = String(text.dropFirst())
        } else {
            byteOrder = "="
            code = text
        }
    }

    /// The element type, when numeric and supported.
    var dtype: PickleArray.DType? {
        guard let kind = code.first, let size = Int(code.dropFirst()) else { return nil }
        return PickleArray.DType(numpyKind: kind, size: size)
    }

    /// Whether elements are stored big-endian (this reader runs on little-endian machines).
    var isBigEndian: Bool { byteOrder == ">" }

    /// numpy's spelling, e.g. `<f4`.
    var text: String { "\(byteOrder)\(code)" }
}

/// The kinds of object the arena holds.
enum PickleObjectKind {
    case list, tuple, dict, set, frozenSet
    case ndarray(NDArrayState)
    case dtype(DTypeDescriptor)

    var name: String {
        switch self {
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .set: return "set"
        case .frozenSet: return "frozenset"
        case .ndarray: return "numpy array"
        case .dtype: return "numpy dtype"
        }
    }
}

/// A hashable stand-in for Python's hashing of scalar dict keys and set members, so that SETITEM on
/// an existing key replaces its value in place as Python does (`1`, `1.0` and `True` are one key).
enum PickleHashKey: Hashable {
    case none
    case int(Int)
    case bigInt([UInt8])
    case float(UInt64)
    case string(String)
    case bytes([UInt8])

    init?(_ node: PickleNode) {
        switch node {
        case .none: self = .none
        case .bool(let value): self = .int(value ? 1 : 0)
        case .int(let value): self = .int(value)
        case .bigInt(let bytes): self = .bigInt(bytes)
        case .float(let value):
            if value.rounded() == value, abs(value) < 9.0e18 {
                self = .int(Int(value))
            } else {
                self = .float((value == 0 ? 0 : value).bitPattern)
            }
        case .string(let text): self = .string(text)
        case .bytes(let bytes, _): self = .bytes(bytes)
        default: return nil
        }
    }
}

/// The containers and partially built objects of one pickle, referred to by index.
struct PickleObjects {
    private(set) var kinds: [PickleObjectKind] = []
    /// Items per object: list/tuple/set elements, or dict keys and values alternating.
    private(set) var items: [[PickleNode]] = []
    /// Per dict or set: the position of each hashable key, to replace rather than duplicate.
    private var positions: [Int: [PickleHashKey: Int]] = [:]

    /// Adds an object and returns its node.
    mutating func add(_ kind: PickleObjectKind, items: [PickleNode] = []) -> PickleNode {
        kinds.append(kind)
        self.items.append([])
        let index = kinds.count - 1
        switch kind {
        case .dict:
            var pairs = items[...]
            while let key = pairs.popFirst(), let value = pairs.popFirst() { setItem(index, key: key, value: value) }
        case .set, .frozenSet:
            for item in items { addMember(index, item) }
        default:
            self.items[index] = items
        }
        return .object(index)
    }

    mutating func append(_ index: Int, _ node: PickleNode) {
        items[index].append(node)
    }

    mutating func append(_ index: Int, contentsOf nodes: [PickleNode]) {
        items[index].append(contentsOf: nodes)
    }

    mutating func setItem(_ index: Int, key: PickleNode, value: PickleNode) {
        if let hashKey = PickleHashKey(key) {
            if let position = positions[index]?[hashKey] {
                items[index][position + 1] = value
                return
            }
            positions[index, default: [:]][hashKey] = items[index].count
        }
        items[index].append(key)
        items[index].append(value)
    }

    mutating func addMember(_ index: Int, _ member: PickleNode) {
        if let hashKey = PickleHashKey(member) {
            if positions[index]?[hashKey] != nil { return }
            positions[index, default: [:]][hashKey] = items[index].count
        }
        items[index].append(member)
    }

    mutating func setKind(_ index: Int, _ kind: PickleObjectKind) {
        kinds[index] = kind
    }
}
