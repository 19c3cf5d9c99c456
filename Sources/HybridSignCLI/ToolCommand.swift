import ArgumentParser
import Foundation
import PoseData
import Render

/// `hybridsign tool …`: tools for working on HybridSign itself (the images in Docs/).
struct ToolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tool", abstract: "Tools for working on HybridSign: the documentation's images, renderer previews.",
        subcommands: [DocsImagesCommand.self, PreviewsCommand.self])
}

/// `hybridsign tool docs-images --out Docs/images`: the example images of Docs/render.md.
struct DocsImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs-images",
        abstract: "Write the example images of Docs/render.md (a contact sheet, a comparison, a plot).",
        discussion: "The sheet and the comparison draw the words Uhr and Ohr of --data; the plot's training curve is made up.")

    @Option(help: "The directory to write to (created when missing).") var out: String
    @Option(help: "The data holding the words Uhr and Ohr.") var data: String = "data/words/dev.pkl"

    func run() throws {
        do {
            let words = try CommandSupport.loadDataset(data)
            guard let uhr = words.index(matching: "Uhr"), let ohr = words.index(matching: "Ohr") else {
                throw ValidationError("\(data) has no samples 'Uhr' and 'Ohr'; give --data a split that holds both (data/words/dev.pkl does)")
            }
            let files = try ExampleImages.writeDocsImages(uhr: words[uhr], ohr: words[ohr], to: URL(fileURLWithPath: out))
            print("wrote \(files.map(\.lastPathComponent).joined(separator: ", ")) to \(out)")
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandSupport.fail("tool docs-images", error)
        }
    }
}

/// `hybridsign tool previews --out DIR`: a full-size frame, the synthetic signer and the font.
struct PreviewsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "previews", abstract: "Write preview images of the renderer: a full-size frame, the synthetic signer, the font.")

    @Option(help: "The directory to write to (created when missing).") var out: String
    @Option(help: "The data whose sample is drawn full size.") var data: String = "data/words/dev.pkl"
    @Option(help: "The sample to draw (name or text).") var sample: String = "Uhr"

    func run() throws {
        do {
            let words = try CommandSupport.loadDataset(data)
            guard let index = words.index(matching: sample) else { throw ValidationError("\(data) has no sample '\(sample)'") }
            let files = try ExampleImages.writePreviews(of: words[index], to: URL(fileURLWithPath: out))
            print("wrote \(files.map(\.lastPathComponent).joined(separator: ", ")) to \(out)")
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandSupport.fail("tool previews", error)
        }
    }
}
