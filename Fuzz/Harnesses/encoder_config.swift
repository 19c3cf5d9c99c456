// libFuzzer harness: a text encoder's `config.json` as `PretrainedTextEncoder(folder:)` reads it
// (model type, sizes against `EncoderLimits`, activations, then the weights checked against the
// sizes), in a folder holding the committed T5 fixture's `tokenizer.json` and `model.safetensors`;
// a folder that loads encodes a short text. The folder is made once, removed when the fuzzer exits.
import Foundation
import TextEncoders

/// The fixture folder whose tokenizer and weights stand next to each fuzzed config.
private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Tests/TextEncodersTests/Fixtures/t5-v1_0").standardizedFileURL
private let folder = URL(fileURLWithPath: NSTemporaryDirectory())
    .appendingPathComponent("hybridsign-fuzz-encoder_config-\(getpid())")
private let prepareFolder: Void = {
    let files = FileManager.default
    do {
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["tokenizer.json", "model.safetensors"] {
            try files.copyItem(at: fixture.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
    } catch {
        fatalError("cannot prepare the scratch folder \(folder.path) from \(fixture.path): \(error)")
    }
    atexit { try? FileManager.default.removeItem(at: folder) }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEncoderConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    prepareFolder
    guard (try? Data(bytes: data, count: size).write(to: folder.appendingPathComponent("config.json"))) != nil else {
        fatalError("cannot write the scratch file \(folder.path)/config.json")
    }
    guard let encoder = try? PretrainedTextEncoder(folder: folder) else { return 0 }
    let encoding = encoder.encode("Guten Morgen")
    guard encoding.hidden.count == encoding.ids.count * encoder.width else {
        fatalError("\(encoding.ids.count) ids gave \(encoding.hidden.count) hidden values at width \(encoder.width)")
    }
    return 0
}
