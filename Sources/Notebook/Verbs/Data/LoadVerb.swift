import Foundation
import PoseData

/// `load PATH [layout: NAME|FILE]`: a dataset from any pose file the project reads.
struct LoadVerb: Verb {
    let signature = VerbSignature(
        name: "load",
        summary: "read a dataset: .pkl, .pkl.gz, .pose, a directory of .pose files, or .json",
        positional: [Parameter("path", .string, "the file or directory to read", placeholder: "PATH")],
        named: [Parameter("layout", .string, "convert to this layout: openpose137 or a layout JSON file",
                          placeholder: "NAME|FILE")],
        returns: "a dataset (a .pose file is a dataset of one sample)",
        examples: ["let dev = load \"data/words/dev.pkl\"", "load \"out/uhr.pose\"",
                   "load \"clips/\" layout: \"openpose137\""])

    func run(_ arguments: Arguments, context: VerbContext) throws -> Value {
        let path = try arguments.string("path")
        let url = try context.existingInput(arguments, "path", what: "file or directory")
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
}
