// libFuzzer harness: the `.pose` reader (versions 0.1 and 0.2) and what `convert` and `load` do
// with a file it accepts: the first person's sequence (the one they read) written back out as
// `.pose`, and the last person's sequence (the furthest a person index reaches into the body).
// Not every person: `convert` never reads the others, and a mutated header with thousands of
// people and no frames made each input rebuild the layout thousands of times.
import PoseData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPose(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    guard let file = try? PoseFile(bytes: bytes, file: "fuzz.pose") else { return 0 }
    if let first = try? file.sequence(), let written = try? PoseFile(sequence: first) {
        _ = try? written.encoded()
    }
    if file.peopleCount > 1 {
        _ = try? file.sequence(person: file.peopleCount - 1)
    }
    return 0
}
