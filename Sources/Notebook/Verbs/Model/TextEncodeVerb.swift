import Foundation
import TextEncoders

/// `text_encode DIR "text"`: a pretrained encoder's token ids and last hidden states, as
/// `hybridsign text-encode` prints them.
struct TextEncodeVerb: Verb {
    let signature = VerbSignature(
        name: "text_encode",
        summary: "encode a text with a pretrained text encoder (Hugging Face folder, T5 or BERT family): token ids and last hidden states",
        positional: [Parameter("folder", .string, "the encoder's folder (config.json, tokenizer.json, model.safetensors)", placeholder: "DIR"),
                     Parameter("text", .string, "the text to encode", placeholder: "TEXT")],
        returns: "a table: one row per token (special tokens included), its id and its hidden state (a list of numbers)",
        examples: ["let e = text_encode \"models/all-MiniLM-L6-v2\" \"Guten Morgen!\"", "len (text_encode \"models/t5-base\" \"hello\")"])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let folder = try context.existingInput(arguments, "folder", what: "text encoder folder")
        let text = try arguments.string("text")
        let encoder: PretrainedTextEncoder
        do { encoder = try PretrainedTextEncoder.shared(folder: folder) } catch {
            throw arguments.error(error.description, at: "folder", hint: "a folder with config.json, tokenizer.json and model.safetensors (Docs/text-encoders.md)")
        }
        let encoding = encoder.encode(text)
        var table = Table(columns: ["id", "hidden"])
        for (row, id) in encoding.ids.enumerated() {
            let values = encoding.hidden[(row * encoding.width)..<((row + 1) * encoding.width)].map { Value.number(Double($0)) }
            table.append([.number(Double(id)), .list(values)])
        }
        return .table(table)
    }
}
