// libFuzzer harness: the `.pose` reader (versions 0.1 and 0.2) and what `convert` and `load` do
// with a file it accepts: every person's sequence, and the file written back out.
import PoseData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPose(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    guard let file = try? PoseFile(bytes: bytes, file: "fuzz.pose") else { return 0 }
    guard let sequences = try? file.sequences() else { return 0 }
    if let first = sequences.first, let written = try? PoseFile(sequence: first) {
        _ = try? written.encoded()
    }
    return 0
}
