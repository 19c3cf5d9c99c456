// libFuzzer harness: the safe pickle reader and the sample decoder, as `convert` and `load` reach
// them for `.pkl` and `.pkl.gz` (gzip is detected from the bytes, so one harness covers both).
import PoseData

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPickle(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    // A decoded dataset is also written back out, as `convert x.pkl y.pkl` would: the writer
    // must accept whatever the reader produced.
    if let dataset = try? PickleDataset.decode(bytes, name: "fuzz.pkl") {
        _ = PickleDataset.encode(dataset)
    }
    return 0
}
