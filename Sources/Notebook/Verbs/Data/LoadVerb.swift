import Foundation
import HybridSign
import PoseData

/// `load PATH [layout: NAME|FILE]`: a dataset from any pose file the project reads, or a model
/// from a `.safetensors` file.
struct LoadVerb: Verb {
    let signature = VerbSignature(
        name: "load",
        summary: "read a dataset (.pkl, .pkl.gz, .pose, a directory of .pose files, .json) or a model (.safetensors)",
        positional: [Parameter("path", .string, "the file or directory to read", placeholder: "PATH")],
        named: [Parameter("layout", .string, "convert to this layout: openpose137 or a layout JSON file",
                          placeholder: "NAME|FILE"),
                Parameter("encoder", .string, "the text encoder's folder, for a model trained with a text encoder (default: the folder it was trained with, else the default location of Docs/text-encoders.md)",
                          placeholder: "DIR")],
        returns: "a dataset (a .pose file is a dataset of one sample), or a model for .safetensors",
        examples: ["let dev = load \"data/words/dev.pkl\"", "load \"out/uhr.pose\"",
                   "load \"clips/\" layout: \"openpose137\"", "let m = load \"runs/m.safetensors\"",
                   "let m = load \"runs/t5.safetensors\" encoder: \"models/t5-base\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let path = try arguments.string("path")
        let url = try context.existingInput(arguments, "path", what: "file or directory")
        if path.lowercased().hasSuffix(".safetensors") { return try loadModel(url, path: path, arguments: arguments, context: context) }
        if arguments.has("encoder") {
            throw arguments.error("encoder: belongs to a model (.safetensors) trained with a text encoder, not to pose data", at: "encoder")
        }
        var layout: Layout?
        if arguments.has("layout") {
            let specification = try arguments.string("layout")
            let isFile = specification.lowercased().hasSuffix(".json")
            do {
                layout = try PoseIO.layout(named: isFile ? context.inputURL(specification).path : specification)
            } catch {
                throw arguments.error(error.description, at: "layout")
            }
        }
        do {
            return .dataset(try PoseIO.load(contentsOf: url, layout: layout))
        } catch {
            // PoseData's messages usually name the file already.
            let message = error.description.contains(url.lastPathComponent) ? error.description : "cannot load '\(path)': \(error.description)"
            throw arguments.error(message, at: "path",
                                  hint: "load reads .pkl, .pkl.gz, .pose, a directory of .pose files, or HybridSign .json (Docs/data-formats.md)")
        }
    }

    /// A model from a checkpoint (the averaged weights when the file has them, as for sampling).
    private func loadModel(_ url: URL, path: String, arguments: Arguments, context: VerbContext) throws(NotebookError) -> Value {
        if arguments.has("layout") {
            throw arguments.error("layout: converts pose data; a model keeps the layout it was trained on", at: "layout")
        }
        let encoder = arguments.has("encoder") ? try context.existingInput(arguments, "encoder", what: "text encoder folder") : nil
        do {
            let checkpoint = try Checkpoint.load(from: url, useEMA: true, textEncoder: encoder)
            return .object(ModelValue(model: checkpoint.model, seed: checkpoint.training?.seed ?? 0, step: checkpoint.step,
                                      history: checkpoint.history, source: path))
        } catch {
            // Checkpoint's messages name the file and say what is wrong with it.
            throw arguments.error(error.description, at: "path",
                                  hint: "a model file is what `save m to \"….safetensors\"` or `hybridsign train --out` writes")
        }
    }
}
