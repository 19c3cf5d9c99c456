import Foundation
import HybridSign

/// `save MODEL to PATH.safetensors`: the model's weights and data mappings in one file.
struct SaveVerb: Verb {
    let signature = VerbSignature(
        name: "save",
        summary: "write a model to a .safetensors file (configuration, normaliser, vocabulary, weights, step, loss history)",
        positional: [Parameter("model", .object("model"), "the model to write")],
        connectors: [Connector("to", Parameter("path", .string, "the file to write", placeholder: "PATH.safetensors"))],
        returns: "the file written",
        examples: ["save m to \"runs/m.safetensors\"", "save m to out + \"/m.safetensors\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let value = try arguments.model("model")
        let model = try value.requireFitted(arguments, "model")
        let path = try arguments.string("path")
        let url = try safetensorsOutputURL(arguments, name: "path", what: "models are saved as .safetensors files",
                                           example: "save m to \"runs/m.safetensors\"")
        do {
            // Written through a temporary file and rename(2), so a failed save never leaves half a file.
            try Checkpoint.save(model: model, step: value.step, history: value.history, to: url)
        } catch {
            throw notebookError(error, arguments, at: "path")
        }
        let file = FileResult(path: path, kind: .data, caption: "\(url.lastPathComponent) (\(value.config.mode.rawValue) model, step \(value.step))")
        context.attach(file)
        return .file(file)
    }
}
