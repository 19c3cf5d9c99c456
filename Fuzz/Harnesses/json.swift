// libFuzzer harness: JSON pose samples (the project's dataset JSON), as `convert` and `load` read
// them, and the dataset written back out as JSON.
import PoseData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    if let dataset = try? PoseDataset(jsonBytes: bytes, file: "fuzz.json") {
        _ = try? dataset.jsonBytes()
    }
    return 0
}
