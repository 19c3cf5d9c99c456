/// A value read from a pickle by ``PickleReader``: the plain data Python's `pickle.load` would
/// rebuild, without running any of the file's code.
///
/// Containers are rebuilt as Swift values, so a list that the pickle shares between two places
/// appears twice (sharing storage). Numeric numpy arrays and torch tensors both become
/// ``array(_:)``; numpy scalars become `int`, `float` or `bool` (they compare equal in Python).
public enum PickleValue: Sendable, Equatable {
    /// One key-value pair of a dict, in insertion order.
    public struct Entry: Sendable, Equatable {
        /// The key.
        public var key: PickleValue
        /// The value.
        public var value: PickleValue

        /// Creates a dict entry.
        public init(key: PickleValue, value: PickleValue) {
            self.key = key
            self.value = value
        }
    }

    /// Python's `None`.
    case none
    /// A `bool`.
    case bool(Bool)
    /// An `int` that fits in 64 bits.
    case int(Int)
    /// An `int` beyond 64 bits, as little-endian two's-complement bytes (the LONG1/LONG4 payload).
    case bigInt([UInt8])
    /// A `float`.
    case float(Double)
    /// A `str` (Python 2 `str` values are decoded as Latin-1, as `encoding="latin1"` does).
    case string(String)
    /// A `bytes` or `bytearray`.
    case bytes([UInt8])
    /// A `list`.
    case list([PickleValue])
    /// A `tuple` (also `torch.Size`).
    case tuple([PickleValue])
    /// A `dict` or `collections.OrderedDict`, entries in insertion order.
    case dict([Entry])
    /// A `set`, elements in the order the pickle added them.
    case set([PickleValue])
    /// A `frozenset`.
    case frozenSet([PickleValue])
    /// A numeric numpy `ndarray` or torch tensor (or a bare torch storage, as a 1-D array).
    case array(PickleArray)
    /// A numpy `dtype` object.
    case dtype(PickleArray.DType)
    /// An object the reader recognised but does not rebuild (for example a numpy array of strings
    /// or Python objects); the text says what it was. Reading it as data is an error.
    case opaque(String)
}

extension PickleValue {
    /// The value stored under the string key `key` when this is a dict, else nil.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let entries) = self else { return nil }
        for entry in entries {
            if case .string(let candidate) = entry.key, candidate == key { return entry.value }
        }
        return nil
    }

    /// The dict's entries, or nil when this is not a dict.
    public var dictEntries: [Entry]? {
        if case .dict(let entries) = self { return entries }
        return nil
    }

    /// The items of a list or tuple, or nil for anything else.
    public var sequenceItems: [PickleValue]? {
        switch self {
        case .list(let items), .tuple(let items): return items
        default: return nil
        }
    }

    /// The text of a `str`, or nil.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number as a `Double`: ints, floats, bools and one-element numeric arrays.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        case .bool(let value): return value ? 1 : 0
        case .array(let array) where array.count == 1: return array.doubles()[0]
        default: return nil
        }
    }

    /// An integer value (`bool` counts, as in Python), or nil.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .bool(let value): return value ? 1 : 0
        default: return nil
        }
    }

    /// A short description of the value's kind, for error messages (`list of 3`, `str`, ...).
    public var kindDescription: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .list(let items): return "list of \(items.count)"
        case .tuple(let items): return "tuple of \(items.count)"
        case .dict(let entries): return "dict of \(entries.count)"
        case .set(let items): return "set of \(items.count)"
        case .frozenSet(let items): return "frozenset of \(items.count)"
        case .array(let array): return "\(array.dtype.rawValue) array of shape \(array.shape)"
        case .dtype(let dtype): return "dtype \(dtype.rawValue)"
        case .opaque(let what): return what
        }
    }
}
