import ArgumentParser
import Foundation
import HybridSign
import Notebook
import Platform
import PoseData

/// The file formats `sample --texts` writes.
enum SampleFileFormat: String, CaseIterable, ExpressibleByArgument {
    case json, pose, pkl
}

extension SampleCommand {
    /// `--texts FILE --out DIR`: every text is checked first (a bad line stops the run before any
    /// sampling, naming the line); then the texts are sampled `--batch` at a time, each sequence
    /// written atomically into DIR as soon as it ends. Ctrl-C or SIGTERM stops the run between
    /// frames: the sequences already written stay, the unfinished ones are dropped, and the
    /// command says how many were kept and exits with 130 (143 for SIGTERM).
    func sampleTexts(_ file: TextsFile, model: HybridSignModel, options: SamplingOptions) throws {
        let sampler = Sampler(model: model)
        let items = BatchItem.items(texts: file.lines.map(\.text), options: options)
        for (line, item) in zip(file.lines, items) {
            do {
                try sampler.check(item)
            } catch {
                throw ValidationError("--texts \(QuotedText.quoted(texts ?? "")) line \(line.number): \(error)")
            }
        }
        if !file.blank.isEmpty {
            let shown = file.blank.prefix(5).map(String.init).joined(separator: ", ") + (file.blank.count > 5 ? ", …" : "")
            CommandSupport.warn("skipped \(file.blank.count) blank line\(file.blank.count == 1 ? "" : "s") (\(shown))")
        }
        if case .fixed(let count) = frames, let warning = LengthAdvice.fixedFrames(count, config: model.config) {
            CommandSupport.warn(warning)
        }
        let directory = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("--out \(QuotedText.quoted(out)): cannot create the directory (\(error.localizedDescription))")
        }
        let width = String(file.lines.last!.number).count
        let size = batch ?? sampler.automaticBatchSize(texts: items.count)
        InterruptHandling.install()
        let interrupt = InterruptFlag.process
        let display = ConsoleDisplay()
        let progress = quiet || !display.isTerminal ? nil : ProgressReporter(title: "sampling", total: items.count, output: display)
        defer { display.clearStatus() }
        var written = 0, frameCount = 0
        var writeError: (any Error)?
        progress?.update(0, "batch \(size)")
        let results = try sampler.sample(items, options: options, batchSize: size, onFinished: { k, sequence in
            guard writeError == nil else { return }
            let target = directory.appendingPathComponent(TextsFile.fileStem(for: file.lines[k], width: width) + "." + format.rawValue)
            do {
                try CommandSupport.save(sequence, to: target.path)
                written += 1
                frameCount += sequence.frameCount
                progress?.update(written, "batch \(size)  \(frameCount) frames")
            } catch {
                writeError = error
            }
        }, shouldStop: { interrupt.isSet || writeError != nil })
        progress?.dismiss()
        if let writeError { throw writeError }
        let note = "\(written) of \(items.count) sequence\(items.count == 1 ? "" : "s") (\(frameCount) frames) → \(out)"
        if results.contains(where: { $0 == nil }) {
            FileHandle.standardError.write(Data("hybridsign sample: interrupted: kept \(note); the \(items.count - written) unfinished were dropped\n".utf8))
            throw ExitCode(ScriptRunner.ExitStatus.interrupted(by: interrupt))
        }
        print("\(note) (batch \(size))")
    }
}
