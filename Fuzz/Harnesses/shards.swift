// libFuzzer harness: a sharded dataset's `index.json` and a shard's safetensors header, as
// `PoseIO.load` opens a dataset directory, and every sample read out of the maps (summary, frame
// count and sequence). The first input byte chooses what the rest is: even, `index.json` next to
// the committed fixture's three shards; odd, the first shard, with the fixture's index (its byte
// count for that shard set to the input's, so a changed length reaches the header parser).
// The dataset directory is made once, removed when the fuzzer exits.
import Foundation
import PoseData

private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Tests/PoseDataTests/Fixtures/shards").standardizedFileURL
private let firstShard = "shard-00000-746a7413.safetensors"
private let directory = URL(fileURLWithPath: NSTemporaryDirectory())
    .appendingPathComponent("hybridsign-fuzz-shards-\(getpid())")
/// The fixture's index, and the text of its first shard's byte count (replaced in odd inputs).
private let (fixtureIndex, firstShardBytes): (String, String) = {
    let files = FileManager.default
    do {
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in try files.contentsOfDirectory(atPath: fixture.path) where name.hasSuffix(".safetensors") {
            try files.copyItem(at: fixture.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        let index = try String(contentsOf: fixture.appendingPathComponent("index.json"), encoding: .utf8)
        let size = try files.attributesOfItem(atPath: fixture.appendingPathComponent(firstShard).path)[.size] as? Int ?? -1
        let bytes = "\"bytes\": \(size)}"
        guard index.contains("\"file\": \"\(firstShard)\"") && index.contains(bytes) else {
            fatalError("the fixture index \(fixture.path)/index.json no longer lists \(firstShard) with \(bytes)")
        }
        atexit { try? FileManager.default.removeItem(at: directory) }
        return (index, bytes)
    } catch {
        fatalError("cannot prepare the scratch dataset \(directory.path) from \(fixture.path): \(error)")
    }
}()

private func write(_ bytes: Data, _ name: String) {
    guard (try? bytes.write(to: directory.appendingPathComponent(name))) != nil else {
        fatalError("cannot write the scratch file \(directory.path)/\(name)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzShards(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let index = fixtureIndex
    guard size > 0 else { return 0 }
    let rest = Data(bytes: data + 1, count: size - 1)
    if data[0] % 2 == 0 {
        write(rest, "index.json")
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(firstShard))
        try? FileManager.default.copyItem(at: fixture.appendingPathComponent(firstShard), to: directory.appendingPathComponent(firstShard))
    } else {
        write(Data(index.replacingOccurrences(of: firstShardBytes, with: "\"bytes\": \(rest.count)}").utf8), "index.json")
        write(rest, firstShard)
    }
    guard let dataset = try? PoseIO.load(contentsOf: directory) else { return 0 }
    for i in dataset.samples.indices {
        _ = dataset.samples.summary(at: i)
        _ = dataset.samples.frameCount(at: i)
        _ = dataset.samples[i]
    }
    return 0
}
