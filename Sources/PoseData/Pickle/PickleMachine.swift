/// Limits that keep hostile pickles from exhausting memory: bytes the reader may create beyond
/// those it reads (strided tensor views can repeat storage elements), shared by nested readers.
final class PickleBudget {
    private(set) var remaining: Int

    init(bytes: Int) { remaining = bytes }

    /// Takes `bytes` from the budget; false when they are not available.
    func take(_ bytes: Int) -> Bool {
        guard bytes >= 0, bytes <= remaining else { return false }
        remaining -= bytes
        return true
    }
}

/// The unpickling virtual machine: interprets opcodes over a byte range, with a stack, a mark
/// stack and a memo, rebuilding only allow-listed globals (``PickleGlobal``).
///
/// Every length read from the data is checked against the bytes that remain before anything is
/// allocated, and every pop is checked against the current mark, so malformed input ends in a
/// ``PoseDataError`` naming the byte offset of the opcode at fault.
struct PickleMachine {
    /// What the machine is reading: an ordinary pickle, or one of the pickles inside torch's
    /// legacy storage serialization (which may use persistent ids for storages).
    enum Mode { case standard, torchLegacy }

    /// The input; positions are indices of this slice (file offsets, for a slice of the file).
    /// With a ``source`` it is what has been inflated so far, and grows as opcodes need more.
    private(set) var bytes: ArraySlice<UInt8>
    var position: Int
    private(set) var end: Int
    /// Compressed input inflated on demand, or nil when `bytes` is all there is.
    let source: InflatingBuffer?
    /// Added to positions in error messages: nonzero only for nested pickles in copied bytes.
    let baseOffset: Int
    let fileName: String?
    let mode: Mode
    let budget: PickleBudget
    var objects = PickleObjects()
    var stack: [PickleNode] = []
    var marks: [Int] = []
    var memo: [Int: PickleNode] = [:]
    var opcodeOffset = 0
    var protocolVersion = 0

    init(bytes: ArraySlice<UInt8>, start: Int, baseOffset: Int, fileName: String?, mode: Mode, budget: PickleBudget) {
        self.bytes = bytes
        self.position = start
        self.end = bytes.endIndex
        self.source = nil
        self.baseOffset = baseOffset
        self.fileName = fileName
        self.mode = mode
        self.budget = budget
    }

    /// A machine over gzip data, inflated as the opcodes consume it.
    init(source: InflatingBuffer, fileName: String?, budget: PickleBudget) {
        self.bytes = source.bytes[...]
        self.position = 0
        self.end = bytes.endIndex
        self.source = source
        self.baseOffset = 0
        self.fileName = fileName
        self.mode = .standard
        self.budget = budget
    }

    // MARK: Errors

    /// An error about the opcode being executed.
    func malformed(_ message: String) -> PoseDataError {
        .malformed(file: fileName, offset: baseOffset + opcodeOffset, message: message)
    }

    /// An error about well-formed content this reader does not rebuild.
    func unsupported(_ message: String) -> PoseDataError {
        .unsupported("\(fileName ?? "input") at byte \(baseOffset + opcodeOffset): \(message)")
    }

    // MARK: Reading operands

    /// Makes at least `count` bytes available from `position` when a ``source`` can inflate them
    /// (refusing counts beyond its limit before inflating anything); false when the data ends first.
    @discardableResult
    mutating func makeAvailable(_ count: Int, _ what: String) throws(PoseDataError) -> Bool {
        if count <= end - position { return true }
        guard let source else { return false }
        let (needed, overflow) = position.addingReportingOverflow(count)
        guard !overflow, needed <= source.limit else { throw source.overLimit(count, "\(what) at byte \(opcodeOffset)") }
        // Drop this machine's reference first, so the buffer grows in place when no value shares it.
        bytes = []
        defer {
            bytes = source.bytes[...]
            end = bytes.endIndex
        }
        return try source.fill(toAtLeast: needed, what)
    }

    /// Consumes `count` bytes and returns their range, after checking they exist.
    mutating func take(_ count: Int, _ what: String) throws(PoseDataError) -> Range<Int> {
        guard count >= 0 else { throw malformed("\(what) has a negative length \(count): the data is corrupt") }
        guard try makeAvailable(count, what) else {
            throw malformed("\(what) needs \(count) bytes, but only \(end - position) remain: the data is truncated or corrupt")
        }
        let range = position..<(position + count)
        position += count
        return range
    }

    /// Reads an unsigned little-endian integer of `width` bytes (at most 8).
    mutating func readUnsigned(_ width: Int, _ what: String) throws(PoseDataError) -> UInt64 {
        let range = try take(width, what)
        var value: UInt64 = 0
        for index in range.reversed() { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// Reads an unsigned little-endian length of `width` bytes as an Int.
    mutating func readLength(_ width: Int, _ what: String) throws(PoseDataError) -> Int {
        let value = try readUnsigned(width, what)
        guard value <= UInt64(Int.max) else { throw malformed("\(what) has an impossible length \(value): the data is corrupt") }
        return Int(value)
    }

    /// Reads a text line up to (and without) its newline, as protocol 0 operands are.
    mutating func readLine(_ what: String) throws(PoseDataError) -> [UInt8] {
        var index = position
        while true {
            while index < end, bytes[index] != 0x0A { index += 1 }
            guard index == end, try makeAvailable(end - position + 1, what) else { break }
        }
        guard index < end else { throw malformed("\(what) has no terminating newline: the data is truncated or corrupt") }
        let line = Array(bytes[position..<index])
        position = index + 1
        return line
    }

    // MARK: Stack

    /// The stack height at which the current mark frame starts.
    var frameStart: Int { marks.last ?? 0 }

    mutating func push(_ node: PickleNode) { stack.append(node) }

    mutating func pop(_ what: String) throws(PoseDataError) -> PickleNode {
        guard stack.count > frameStart else {
            throw malformed("\(what) needs a value, but the stack is empty\(marks.isEmpty ? "" : " above the last MARK"): the data is corrupt")
        }
        return stack.removeLast()
    }

    func top(_ what: String) throws(PoseDataError) -> PickleNode {
        guard stack.count > frameStart, let last = stack.last else {
            throw malformed("\(what) needs a value, but the stack is empty\(marks.isEmpty ? "" : " above the last MARK"): the data is corrupt")
        }
        return last
    }

    /// Pops everything above the last MARK, and the mark.
    mutating func popMark(_ what: String) throws(PoseDataError) -> [PickleNode] {
        guard let mark = marks.popLast() else { throw malformed("\(what) needs a MARK, but there is none: the data is corrupt") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    // MARK: Objects

    /// The index of the arena object `node` refers to, if it is of the kind `accept` allows.
    func object(_ node: PickleNode, _ accept: (PickleObjectKind) -> Bool) -> Int? {
        guard case .object(let index) = node, accept(objects.kinds[index]) else { return nil }
        return index
    }

    /// The items of a tuple node, or an error naming what it was instead.
    func tupleItems(_ node: PickleNode, _ what: String) throws(PoseDataError) -> [PickleNode] {
        guard let index = object(node, { if case .tuple = $0 { return true } else { return false } }) else {
            throw malformed("\(what) must be a tuple, not \(node.kind(in: objects))")
        }
        return objects.items[index]
    }

    /// The items of a list or tuple node, or nil.
    func sequenceItems(_ node: PickleNode) -> [PickleNode]? {
        guard let index = object(node, { kind in
            switch kind {
            case .list, .tuple: return true
            default: return false
            }
        }) else { return nil }
        return objects.items[index]
    }

    // MARK: Running

    /// Executes opcodes until STOP and returns the value STOP pops.
    mutating func run() throws(PoseDataError) -> PickleNode {
        while true {
            opcodeOffset = position
            guard try makeAvailable(1, "the next opcode") else {
                throw malformed("the pickle ends without a STOP opcode: the data is truncated")
            }
            let opcode = bytes[position]
            position += 1
            if opcode == PickleOpcode.stop {
                return try pop("STOP")
            }
            try execute(opcode)
        }
    }
}
