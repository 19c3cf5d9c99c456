import ArgumentParser
import Foundation
import TextEncoders

/// `hybridsign text-encode DIR "text" --json`: a pretrained encoder's token ids and last hidden
/// states for one text, for checking an encoder folder and debugging.
struct TextEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-encode", abstract: "Encode a text with a pretrained text encoder (Hugging Face folder: T5 or BERT family).",
        discussion: "Prints the token ids (special tokens included) and the shape of the last hidden states; --json prints one line {\"ids\": [...], \"hidden\": [[...], ...]} with one row per token.")

    @Argument(help: "The encoder's folder (config.json, tokenizer.json, model.safetensors).") var folder: String
    @Argument(help: "The text to encode.") var text: String
    @Flag(help: "Print one JSON line with the ids and every hidden state.") var json = false

    func run() throws {
        do {
            let encoder = try PretrainedTextEncoder(folder: URL(fileURLWithPath: folder))
            let encoding = encoder.encode(text)
            if json {
                print(encoding.jsonLine)
            } else {
                print("\(encoder.name) (\(encoder.family.rawValue), weights hash \(encoder.weightsHash)): \(encoding.ids.count) tokens × \(encoding.width)")
                print("ids: \(encoding.ids.map(String.init).joined(separator: " "))")
            }
        } catch {
            throw CommandSupport.fail("text-encode", error)
        }
    }
}
