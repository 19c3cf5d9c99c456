import Foundation
import PoseData

// Branch-local: `RenderCommand` takes its data through `loadDatasetForCLI`, which the lead provides
// at merge time (reading pickles, .pose and JSON through PoseData). Until then this reads the raw
// fixture format written by scripts/export_words_for_render.py (words.json + float32 .bin files).
// At merge, delete this file in favour of the shared loader.

/// Reads a dataset for the CLI: a directory holding `words.json`, or that file itself.
func loadDatasetForCLI(_ path: String) throws -> PoseDataset {
    var url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
        url.appendPathComponent("words.json")
    }
    guard url.lastPathComponent.hasSuffix(".json") else {
        throw PoseDataError.unsupported("\(path): this build reads only the raw render fixtures (words.json + .bin); pickles, .pose and JSON come with PoseData's loader")
    }
    let header: Data
    do { header = try Data(contentsOf: url) } catch {
        throw PoseDataError.io("cannot read \(url.path): \(error.localizedDescription)")
    }
    guard let entries = try? JSONSerialization.jsonObject(with: header) as? [[String: Any]] else {
        throw PoseDataError.malformed(file: url.path, offset: nil, message: "expected a JSON list of sample headers")
    }
    let layout = Layout.openPose137
    var samples: [PoseSequence] = []
    for (index, entry) in entries.enumerated() {
        guard let file = entry["file"] as? String, let frames = entry["frames"] as? Int, let joints = entry["joints"] as? Int,
              let fps = entry["fps"] as? Double, joints == layout.jointCount else {
            throw PoseDataError.malformed(file: url.path, offset: nil,
                                          message: "entry \(index) needs file, frames, fps and joints = \(layout.jointCount)")
        }
        let binary = url.deletingLastPathComponent().appendingPathComponent(file)
        let bytes: Data
        do { bytes = try Data(contentsOf: binary) } catch {
            throw PoseDataError.io("cannot read \(binary.path): \(error.localizedDescription)")
        }
        let count = frames * joints * 3
        guard bytes.count == count * 4 else {
            throw PoseDataError.malformed(file: binary.path, offset: nil, message: "\(bytes.count) bytes, expected \(count * 4) for \(frames)×\(joints)×3 float32")
        }
        let values = bytes.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
        samples.append(try PoseSequence(layout: layout, fps: fps, values: values, name: entry["name"] as? String,
                                        text: entry["text"] as? String, gloss: entry["gloss"] as? String,
                                        signer: entry["signer"] as? String))
    }
    return try PoseDataset(layout: layout, samples: samples)
}
