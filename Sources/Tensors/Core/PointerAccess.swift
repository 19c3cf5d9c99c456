// Raw-pointer access to tensors for the kernels (attention, the KV cache), so their loops read
// as arithmetic instead of nested buffer closures.

@inline(__always)
func withPointers<R>(_ a: Tensor, _ b: Tensor, _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
    a.withUnsafeBufferPointer { ab in b.withUnsafeBufferPointer { bb in body(ab.baseAddress ?? dummyPointer, bb.baseAddress ?? dummyPointer) } }
}

@inline(__always)
func withPointers<R>(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
    a.withUnsafeBufferPointer { ab in
        b.withUnsafeBufferPointer { bb in
            c.withUnsafeBufferPointer { cb in
                body(ab.baseAddress ?? dummyPointer, bb.baseAddress ?? dummyPointer, cb.baseAddress ?? dummyPointer)
            }
        }
    }
}

@inline(__always)
func withOptionalPointer<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.withUnsafeBufferPointer { body($0.baseAddress ?? dummyPointer) }
}

/// A valid address for empty tensors (never dereferenced: every loop over them is empty).
nonisolated(unsafe) let dummyPointer: UnsafePointer<Float> = {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
}()

@inline(__always)
func withOptionalPointers<R>(_ a: Tensor?, _ b: Tensor?, _ body: (UnsafePointer<Float>?, UnsafePointer<Float>?) -> R) -> R {
    withOptionalPointer(a) { ap in withOptionalPointer(b) { bp in body(ap, bp) } }
}

/// Both tensors' storage for writing (they must be distinct tensors).
@inline(__always)
func withMutablePointers<R>(_ a: inout Tensor, _ b: inout Tensor,
                            _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> R) -> R {
    a.withUnsafeMutableBufferPointer { ab in
        b.withUnsafeMutableBufferPointer { bb in body(ab.baseAddress ?? mutableDummyPointer, bb.baseAddress ?? mutableDummyPointer) }
    }
}

/// A valid address for writing to empty tensors (never written: every loop over them is empty).
nonisolated(unsafe) let mutableDummyPointer: UnsafeMutablePointer<Float> = {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    p.initialize(to: 0)
    return p
}()
