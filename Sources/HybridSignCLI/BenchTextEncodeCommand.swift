import ArgumentParser
import Foundation
import Platform
import Tensors
import TextEncoders

/// `hybridsign bench text-encode [DIR]`: how long a pretrained encoder takes for one sentence.
///
/// Without DIR it writes a t5-base-sized encoder with random weights (d_model 768, 12 layers, 12
/// heads, d_ff 3072) to a temporary folder. Each run encodes the sentence afresh (the cache is
/// bypassed); prints the median of `--runs`, and `--json` one object `{"ms", "tokens", ...}`.
struct BenchTextEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-encode",
        abstract: "Time a pretrained text encoder on one sentence (default: a t5-base-sized random T5).")

    @Argument(help: "An encoder folder; default: a random t5-base-sized T5 written to a temporary folder.") var folder: String?
    @Option(help: "The sentence (default: 15 words).") var text = "The weather is cold and rainy in the north today, but warm in the south."
    @Option(help: "How many timed encodings to take the median of.") var runs: Int = 20
    @Flag(help: "Print one JSON object instead of a sentence.") var json = false

    /// Processor time of the process so far (all threads), in seconds.
    static func processorSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        do {
            var temporary: URL?
            let directory: URL
            if let folder {
                directory = URL(fileURLWithPath: folder)
            } else {
                directory = FileManager.default.temporaryDirectory.appendingPathComponent("hybridsign-bench-t5-\(getpid())")
                temporary = directory
                try RandomT5Folder.write(to: directory, seed: 0)
            }
            defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
            let encoder = try PretrainedTextEncoder(folder: directory)
            let ids = encoder.tokenize(text)
            _ = encoder.encode(ids: ids)  // warm-up: page in the weights
            let clock = ContinuousClock()
            var times: [Double] = []
            // Processor time too: on a machine other work shares, wall time says more about the load.
            let cpuStart = Self.processorSeconds()
            for _ in 0..<runs {
                let start = clock.now
                _ = encoder.encode(ids: encoder.tokenize(text))
                let elapsed = clock.now - start
                times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15)
            }
            let cpu = (Self.processorSeconds() - cpuStart) * 1000 / Double(runs)
            times.sort()
            let median = times[times.count / 2]
            let words = text.split(whereSeparator: { $0.isWhitespace }).count
            if json {
                print("{\"ms\": \(String(format: "%.3f", median)), \"min_ms\": \(String(format: "%.3f", times[0])), \"cpu_ms\": \(String(format: "%.3f", cpu)), \"tokens\": \(ids.count), \"words\": \(words), \"width\": \(encoder.width), \"runs\": \(runs), \"cores\": \(Parallel.workerCount), \"encoder\": \(JSONText.quoted(encoder.name))}")
            } else {
                print(String(format: "%@: %d words → %d tokens × %d; median %.2f ms of %d runs (fastest %.2f ms) on %d cores, %.1f ms of processor time per encoding",
                             encoder.name, words, ids.count, encoder.width, median, runs, times[0], Parallel.workerCount, cpu))
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandSupport.fail("bench text-encode", error)
        }
    }
}
