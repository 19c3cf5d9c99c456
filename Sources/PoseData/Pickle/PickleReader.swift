/// A safe reader of Python pickles (protocols 0–5).
///
/// It interprets the opcodes itself and rebuilds plain data — None, bools, ints, floats, str,
/// bytes, lists, tuples, dicts, sets — plus an allow-list of globals given data-only meanings:
/// numpy arrays, dtypes and scalars (numpy 1.x `numpy.core` and 2.x `numpy._core` paths, including
/// protocol 5's `_frombuffer`), torch tensors pickled with `pickle.dump` (with their storages in
/// torch's legacy serialization), `collections.OrderedDict`, `set`, `frozenset`, `bytearray` and
/// `_codecs.encode`. Any other global is an error naming it and its byte offset. Nothing in the
/// data is ever executed.
///
/// Malformed, truncated or hostile input throws ``PoseDataError`` with the byte offset of the
/// opcode at fault: stack underflow, a missing MARK, an absent memo key, lengths beyond the bytes
/// that remain (checked before any allocation), nesting beyond ``maximumDepth``.
public enum PickleReader {
    /// The deepest nesting of containers the reader rebuilds.
    public static let maximumDepth = 200

    /// The allow-listed globals, as `module.name`.
    public static var allowedGlobals: [String] { PickleGlobal.allowedNames }

    /// Reads the pickle that fills `bytes`; bytes after its STOP are an error.
    ///
    /// - Parameter fileName: named in error messages.
    public static func read(_ bytes: [UInt8], fileName: String? = nil) throws(PoseDataError) -> PickleValue {
        let (value, end) = try read(bytes, from: 0, fileName: fileName)
        guard end == bytes.count else {
            throw PoseDataError.malformed(
                file: fileName, offset: end,
                message: "\(bytes.count - end) bytes follow the pickle's STOP opcode: the file holds more than one pickle, or is corrupt")
        }
        return value
    }

    /// Reads the pickle that fills gzip data `compressed`, inflating it only as far as the opcodes
    /// read (so a gzip bomb is refused at its first bad byte, or at the inflation limit of
    /// ``InflatingBuffer``); bytes after its STOP are an error. Also returns the inflated size.
    static func read(gzip compressed: [UInt8], fileName: String? = nil) throws(PoseDataError) -> (value: PickleValue, inflatedSize: Int) {
        let source = try InflatingBuffer(compressed, fileName: fileName)
        let budget = PickleBudget(bytes: 4 &* source.limit &+ (64 << 20))
        var machine = PickleMachine(source: source, fileName: fileName, budget: budget)
        let node = try machine.run()
        let end = machine.position
        if try machine.makeAvailable(1, "the end of the data") {
            throw PoseDataError.malformed(
                file: fileName, offset: end,
                message: "bytes follow the pickle's STOP opcode: the file holds more than one pickle, or is corrupt")
        }
        try source.finish()
        var converter = PickleConverter(objects: machine.objects, fileName: fileName)
        return (try converter.value(of: node), source.bytes.count)
    }

    /// Reads one pickle starting at byte `offset` and returns it with the offset just past its STOP.
    public static func read(_ bytes: [UInt8], from offset: Int, fileName: String? = nil) throws(PoseDataError) -> (value: PickleValue, end: Int) {
        guard offset >= 0, offset <= bytes.count else {
            throw PoseDataError.malformed(file: fileName, offset: offset, message: "the start offset is outside the data")
        }
        if let foreign = ForeignFileSignature.name(of: bytes[offset...]) {
            throw PoseDataError.malformed(file: fileName, offset: offset,
                                          message: "this is not a pickle: it starts like \(foreign); check the file, or its extension")
        }
        // Strided torch views may repeat storage elements; beyond this, the input is treated as hostile.
        let budget = PickleBudget(bytes: 4 &* bytes.count &+ (64 << 20))
        var machine = PickleMachine(bytes: bytes[...], start: offset, baseOffset: 0, fileName: fileName, mode: .standard, budget: budget)
        let node = try machine.run()
        var converter = PickleConverter(objects: machine.objects, fileName: fileName)
        return (try converter.value(of: node), machine.position)
    }
}
