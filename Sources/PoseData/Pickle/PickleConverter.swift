/// Turns the machine's nodes and arena objects into the ``PickleValue`` tree.
///
/// Each arena object is converted once and shared wherever the pickle refers to it again, so the
/// work stays linear in the file size even when references fan out. Nesting is bounded by
/// ``PickleReader/maximumDepth`` and a container that contains itself is an error: both keep the
/// tree finite and its recursion shallow.
struct PickleConverter {
    private let objects: PickleObjects
    private let fileName: String?
    /// Converted objects with their height (levels of nesting below and including them).
    private var done: [Int: (value: PickleValue, height: Int)] = [:]
    private var inProgress: Set<Int> = []

    init(objects: PickleObjects, fileName: String?) {
        self.objects = objects
        self.fileName = fileName
    }

    mutating func value(of node: PickleNode) throws(PoseDataError) -> PickleValue {
        try convert(node, depth: 0).value
    }

    private mutating func convert(_ node: PickleNode, depth: Int) throws(PoseDataError) -> (value: PickleValue, height: Int) {
        switch node {
        case .none: return (.none, 0)
        case .bool(let value): return (.bool(value), 0)
        case .int(let value): return (.int(value), 0)
        case .bigInt(let bytes): return (.bigInt(bytes), 0)
        case .float(let value): return (.float(value), 0)
        case .string(let text): return (.string(text), 0)
        case .bytes(let bytes, _): return (.bytes(bytes), 0)
        case .array(let array): return (.array(array), 0)
        case .opaque(let what): return (.opaque(what), 0)
        case .global(let global): return (.opaque("global \(global.qualifiedName)"), 0)
        case .storage(let storage):
            let array = try PickleArray(dtype: storage.dtype, shape: [storage.count], data: storage.data)
            return (.array(array), 0)
        case .storageRef(let key, _): return (.opaque("torch storage reference \(key)"), 0)
        case .object(let index):
            if let converted = done[index] {
                try checkDepth(depth + converted.height)
                return converted
            }
            try checkDepth(depth + 1)
            guard inProgress.insert(index).inserted else {
                throw PoseDataError.unsupported(
                    "\(fileName ?? "input"): the pickle holds a \(objects.kinds[index].name) that contains itself; recursive data is not rebuilt")
            }
            defer { inProgress.remove(index) }
            var height = 1
            var children: [PickleValue] = []
            children.reserveCapacity(objects.items[index].count)
            for item in objects.items[index] {
                let child = try convert(item, depth: depth + 1)
                height = max(height, child.height + 1)
                children.append(child.value)
            }
            let value: PickleValue
            switch objects.kinds[index] {
            case .list: value = .list(children)
            case .tuple: value = .tuple(children)
            case .set: value = .set(children)
            case .frozenSet: value = .frozenSet(children)
            case .dict:
                var entries: [PickleValue.Entry] = []
                entries.reserveCapacity(children.count / 2)
                var position = 0
                while position + 1 < children.count {
                    entries.append(PickleValue.Entry(key: children[position], value: children[position + 1]))
                    position += 2
                }
                value = .dict(entries)
            case .ndarray(.built(let array)): value = .array(array)
            case .ndarray(.opaque(let what)): value = .opaque(what)
            case .ndarray(.pending): value = .opaque("numpy array whose state was never set")
            case .dtype(let descriptor):
                if let dtype = descriptor.dtype { value = .dtype(dtype) } else { value = .opaque("numpy dtype \(descriptor.text)") }
            }
            done[index] = (value, height)
            return (value, height)
        }
    }

    private func checkDepth(_ depth: Int) throws(PoseDataError) {
        guard depth <= PickleReader.maximumDepth else {
            throw PoseDataError.unsupported(
                "\(fileName ?? "input"): the pickle nests containers more than \(PickleReader.maximumDepth) levels deep; this reader stops there")
        }
    }
}
