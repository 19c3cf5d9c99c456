// libFuzzer harness: safetensors and the checkpoint metadata on top of it, through
// `Checkpoint.load` as `load`, `sample` and `train --resume` reach it. It reads by path, so each
// input is written to a scratch file first, removed when the fuzzer exits.
import Foundation
import HybridSign

private let scratchPath = NSTemporaryDirectory() + "/hybridsign-fuzz-checkpoint-\(getpid()).safetensors"
private let removeScratchAtExit: Void = { atexit { unlink(scratchPath) } }()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    removeScratchAtExit
    let scratch = URL(fileURLWithPath: scratchPath)
    guard (try? Data(bytes: data, count: size).write(to: scratch)) != nil else {
        fatalError("cannot write the scratch file \(scratchPath)")
    }
    _ = try? Checkpoint.load(from: scratch, useEMA: true)
    return 0
}
