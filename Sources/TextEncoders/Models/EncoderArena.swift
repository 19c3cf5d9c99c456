/// The scratch memory of one encoding: a single allocation carved into the named buffers, reused
/// by every layer (no step allocates). Freed by ``release()``; the caller owns it for one encoding,
/// so that concurrent encodings with one encoder never share buffers.
struct EncoderArena {
    private let base: UnsafeMutablePointer<Float>
    private var used = 0
    private let capacity: Int

    /// Room for buffers totalling `capacity` floats (zeroed).
    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: max(capacity, 1))
        base.initialize(repeating: 0, count: max(capacity, 1))
    }

    /// The next `count` floats.
    mutating func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        precondition(used + count <= capacity, "EncoderArena: \(used + count) floats asked of \(capacity)")
        defer { used += count }
        return base + used
    }

    func release() { base.deallocate() }
}
