import Platform

/// A numeric n-dimensional array from a pickle (numpy `ndarray` or torch tensor), normalised to
/// row-major (C) order and little-endian element bytes whatever order the file used.
public struct PickleArray: Sendable, Equatable {
    /// The element types the reader rebuilds.
    public enum DType: String, Sendable, Equatable, CaseIterable {
        case bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .bool, .int8, .uint8: return 1
            case .int16, .uint16, .float16: return 2
            case .int32, .uint32, .float32: return 4
            case .int64, .uint64, .float64: return 8
            }
        }

        /// numpy's type code without byte order: `f4`, `i8`, `b1`, ...
        public var numpyCode: String {
            switch self {
            case .bool: return "b1"
            case .int8, .int16, .int32, .int64: return "i\(size)"
            case .uint8, .uint16, .uint32, .uint64: return "u\(size)"
            case .float16, .float32, .float64: return "f\(size)"
            }
        }

        /// The dtype for a numpy kind character (`f`, `i`, `u`, `b`) and byte size, if supported.
        public init?(numpyKind kind: Character, size: Int) {
            guard let match = DType.allCases.first(where: { $0.numpyCode == "\(kind)\(size)" }) else { return nil }
            self = match
        }
    }

    /// The element type.
    public let dtype: DType
    /// The dimensions, outermost first; empty for a scalar (0-d) array.
    public let shape: [Int]
    /// The elements' bytes, row-major, little-endian, `count * dtype.size` of them. (A slice: an
    /// array read from a file may share the file's buffer rather than copy it.)
    public let data: ArraySlice<UInt8>

    /// Creates an array, checking that `data` holds exactly the elements `shape` asks for.
    public init(dtype: DType, shape: [Int], data: [UInt8]) throws(PoseDataError) {
        try self.init(dtype: dtype, shape: shape, data: data[...])
    }

    /// Creates an array over a slice of bytes, checking that it holds exactly the elements `shape` asks for.
    public init(dtype: DType, shape: [Int], data: ArraySlice<UInt8>) throws(PoseDataError) {
        guard let count = PickleArray.elementCount(shape),
              count.multipliedReportingOverflow(by: dtype.size) == (data.count, false) else {
            throw PoseDataError.invalidSequence(
                "array of shape \(shape) and dtype \(dtype.rawValue) cannot be made from \(data.count) bytes")
        }
        self.dtype = dtype
        self.shape = shape
        self.data = data
    }

    /// The number of elements (the product of `shape`; 1 for a 0-d array).
    public var count: Int { data.count / dtype.size }

    /// The product of `shape`, or nil when a dimension is negative or the product overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var product = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }

    /// The elements converted to `Float` (integers and bools by value; float64 rounds).
    public func floats() -> [Float] {
        if dtype == .float32 {
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                data.withUnsafeBytes { source in
                    if let base = source.baseAddress, count > 0 {
                        UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: count * 4)
                    }
                }
                initialized = count
            }
        }
        return converted { Float($0) }
    }

    /// The elements converted to `Double`.
    public func doubles() -> [Double] { converted { $0 } }

    /// Every element as a Double, mapped through `transform`.
    private func converted<T>(_ transform: (Double) -> T) -> [T] {
        let count = self.count
        let dtype = self.dtype
        return data.withUnsafeBytes { raw -> [T] in
            var result: [T] = []
            result.reserveCapacity(count)
            for index in 0..<count {
                let offset = index * dtype.size
                let value: Double
                switch dtype {
                case .bool: value = raw[offset] != 0 ? 1 : 0
                case .int8: value = Double(Int8(bitPattern: raw[offset]))
                case .uint8: value = Double(raw[offset])
                case .int16: value = Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
                case .uint16: value = Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
                case .int32: value = Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                case .uint32: value = Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                case .int64: value = Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
                case .uint64: value = Double(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                case .float16:
                    let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                    value = Double(Float(binary16BitPattern: bits))
                case .float32:
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                    value = Double(Float(bitPattern: bits))
                case .float64:
                    let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    value = Double(bitPattern: bits)
                }
                result.append(transform(value))
            }
            return result
        }
    }
}

extension PickleArray {
    /// Copies the elements a strided view selects into a new row-major array.
    ///
    /// `offset` and `strides` count elements of `source`. The caller has checked with
    /// ``checkView(shape:strides:offset:available:)`` that every selected element lies inside it.
    static func gather(_ source: UnsafeRawBufferPointer, elementSize: Int, offset: Int,
                       shape: [Int], strides: [Int]) -> [UInt8] {
        let count = shape.reduce(1, *)
        guard count > 0 else { return [] }
        let rank = shape.count
        return [UInt8](unsafeUninitializedCapacity: count * elementSize) { buffer, initialized in
            let target = UnsafeMutableRawPointer(buffer.baseAddress!)
            let base = source.baseAddress!
            guard rank > 0 else {
                target.copyMemory(from: base + offset * elementSize, byteCount: elementSize)
                initialized = elementSize
                return
            }
            let innerSize = shape[rank - 1]
            let innerStride = strides[rank - 1]
            var index = [Int](repeating: 0, count: rank)
            var written = 0
            var start = offset
            while written < count * elementSize {
                if innerStride == 1 {
                    target.advanced(by: written).copyMemory(
                        from: base + start * elementSize, byteCount: innerSize * elementSize)
                    written += innerSize * elementSize
                } else {
                    var element = start
                    for _ in 0..<innerSize {
                        target.advanced(by: written).copyMemory(from: base + element * elementSize, byteCount: elementSize)
                        written += elementSize
                        element += innerStride
                    }
                }
                // Odometer over the outer dimensions.
                var dimension = rank - 2
                while dimension >= 0 {
                    index[dimension] += 1
                    start += strides[dimension]
                    if index[dimension] < shape[dimension] { break }
                    start -= strides[dimension] * shape[dimension]
                    index[dimension] = 0
                    dimension -= 1
                }
                if dimension < 0 { break }
            }
            initialized = count * elementSize
        }
    }

    /// Checks that a view of `shape` with non-negative `strides` from element `offset` stays inside
    /// `available` elements; returns the view's element count, or a message saying what is wrong.
    static func checkView(shape: [Int], strides: [Int], offset: Int, available: Int) -> Result<Int, ViewError> {
        guard shape.count == strides.count else {
            return .failure(ViewError("size \(shape) and stride \(strides) differ in length"))
        }
        guard let count = elementCount(shape) else {
            return .failure(ViewError("size \(shape) has a negative dimension or is too large"))
        }
        guard offset >= 0, strides.allSatisfy({ $0 >= 0 }) else {
            return .failure(ViewError("offset \(offset) or stride \(strides) is negative"))
        }
        if count == 0 { return .success(0) }
        var last = offset
        for (size, stride) in zip(shape, strides) {
            let (step, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflow2) = last.addingReportingOverflow(step)
            guard !overflow, !overflow2 else { return .failure(ViewError("size \(shape) with stride \(strides) overflows")) }
            last = sum
        }
        guard last < available else {
            return .failure(ViewError(
                "size \(shape), stride \(strides) and offset \(offset) reach element \(last), but the storage holds \(available)"))
        }
        return .success(count)
    }

    /// Why a strided view is invalid.
    struct ViewError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// Reverses the bytes of every element in place (big-endian data to little-endian).
    static func swapBytes(_ data: inout ArraySlice<UInt8>, elementSize: Int) {
        guard elementSize > 1 else { return }
        data.withUnsafeMutableBytes { buffer in
            var start = 0
            while start + elementSize <= buffer.count {
                var low = start, high = start + elementSize - 1
                while low < high {
                    buffer.swapAt(low, high)
                    low += 1
                    high -= 1
                }
                start += elementSize
            }
        }
    }

    /// Row-major strides (in elements) of an array of `shape` stored in Fortran (column-major) order.
    static func fortranStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for dimension in shape.indices {
            strides[dimension] = step
            step = step &* max(shape[dimension], 1)
        }
        return strides
    }
}
