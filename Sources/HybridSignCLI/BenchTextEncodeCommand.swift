import ArgumentParser
import Foundation
import Platform
import Tensors
import TextEncoders

/// `hybridsign bench text-encode [DIR]`: how long a pretrained encoder takes for one sentence,
/// where the time goes, and (`--products`) what its products alone take each way they can run.
///
/// Without DIR it writes a t5-base-sized encoder with random weights (d_model 768, 12 layers, 12
/// heads, d_ff 3072) to a temporary folder. Each run tokenizes and encodes the sentence afresh
/// (the cache is bypassed); prints the median of `--runs`, and `--json` one object `{"ms", "tokens", ...}`.
struct BenchTextEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-encode",
        abstract: "Time a pretrained text encoder on one sentence (default: a t5-base-sized random T5).")

    @Argument(help: "An encoder folder; default: a random t5-base-sized T5 written to a temporary folder.") var folder: String?
    @Option(help: "The sentence (default: 15 words).") var text = "The weather is cold and rainy in the north today, but warm in the south."
    @Option(help: "How many timed encodings to take the median of.") var runs: Int = 20
    @Flag(help: "Also time the products of a t5-base-sized encoder alone for as many tokens, each way they can run (the floor; alternated passes).")
    var products = false
    @Flag(help: "Print one JSON object instead of sentences.") var json = false

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
            _ = encoder.encode(ids: ids)  // warm-up: page in the weights, start the threads
            let clock = ContinuousClock()
            var times: [Double] = [], tokenizing: [Double] = []
            var profile = EncoderProfile()
            // Processor time too: on a machine other work shares, wall time says more about the load.
            let cpuStart = EncoderProductBenchmark.processorSeconds()
            for _ in 0..<runs {
                let start = clock.now
                let tokens = encoder.tokenize(text)
                let tokenized = clock.now
                _ = encoder.encode(ids: tokens, profile: &profile)
                times.append((clock.now - start).seconds * 1000)
                tokenizing.append((tokenized - start).seconds * 1000)
            }
            let cpu = (EncoderProductBenchmark.processorSeconds() - cpuStart) * 1000 / Double(runs)
            times.sort()
            let median = times[times.count / 2], tokenize = EncoderProductBenchmark.median(tokenizing)
            let words = text.split(whereSeparator: { $0.isWhitespace }).count
            // Parts are means over the runs (their sum is the mean encoding, not the median).
            let parts = profile.parts.map { (name: $0.name, ms: $0.seconds * 1000 / Double(runs)) }
            let floor = products ? EncoderProductBenchmark.measure(shape: RandomT5Folder.Shape(), rows: ids.count, passes: runs, seed: 1) : []
            if json {
                var line = "{\"ms\": \(Self.format(median)), \"min_ms\": \(Self.format(times[0])), \"cpu_ms\": \(Self.format(cpu)), "
                line += "\"tokenize_ms\": \(Self.format(tokenize)), \"parts_ms\": {"
                line += parts.map { "\"\($0.name)\": \(Self.format($0.ms))" }.joined(separator: ", ") + "}, "
                if products {
                    line += "\"products\": {" + floor.map {
                        "\"\($0.strategy.rawValue)\": {\"ms\": \(Self.format($0.milliseconds)), \"cpu_ms\": \(Self.format($0.processorMilliseconds)), \"gflops\": \(String(format: "%.1f", $0.gigaflops))}"
                    }.joined(separator: ", ") + "}, "
                }
                line += "\"tokens\": \(ids.count), \"words\": \(words), \"width\": \(encoder.width), \"runs\": \(runs), \"cores\": \(Parallel.workerCount), \"encoder\": \(JSONText.quoted(encoder.name))}"
                print(line)
            } else {
                print(String(format: "%@: %d words → %d tokens × %d; median %.2f ms of %d runs (fastest %.2f ms) on %d cores, %.1f ms of processor time per encoding; tokenizing %.3f ms",
                             encoder.name, words, ids.count, encoder.width, median, runs, times[0], Parallel.workerCount, cpu, tokenize))
                print("mean per encoding: " + parts.map { String(format: "%@ %.2f ms", $0.name, $0.ms) }.joined(separator: ", "))
                for result in floor {
                    print(String(format: "products alone, %@: median %.2f ms (%.1f GFLOP/s), %.1f ms of processor time",
                                 result.strategy.rawValue, result.milliseconds, result.gigaflops, result.processorMilliseconds))
                }
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandSupport.fail("bench text-encode", error)
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
