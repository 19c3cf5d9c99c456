import ArgumentParser
import Foundation
import Platform
import PoseData

/// `hybridsign bench shards DIR`: how a sharded dataset performs — writing it (with `--generate`,
/// a seeded dataset of any size made of variations of real recordings), opening it, reading random
/// samples and reading every sample once — and, with `--baseline FILE`, how long loading the same
/// kind of data in another format takes.
struct BenchShardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shards",
        abstract: "Time a sharded dataset: write (--generate), open, random sample reads, a full pass.")

    @Argument(help: "The sharded dataset directory (written first with --generate).")
    var directory: String

    @Flag(help: "First write DIR: seeded variations of --from until it holds --gigabytes of frames.")
    var generate = false

    @Option(help: "With --generate: the recordings to vary.") var from: String = "data/words/dev.pkl"
    @Option(help: "With --generate: gigabytes of frames to write.") var gigabytes: Double = 0.1
    @Option(help: "With --generate: samples per shard.") var samplesPerShard: Int = PoseIO.defaultSamplesPerShard
    @Option(help: "Seed of the variations and of the random reads.") var seed: UInt64 = 1
    @Option(help: "Random sample reads to time.") var reads: Int = 2000
    @Option(help: "Opens to take the median of.") var opens: Int = 5
    @Flag(inversion: .prefixedNo, help: "Read every sample once and time it.") var pass = true
    @Option(help: "Also time loading this file or directory (any format), for comparison.") var baseline: String?
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard reads >= 1, opens >= 1 else { throw ValidationError("--reads and --opens must be at least 1") }
        guard !generate || (gigabytes > 0 && gigabytes <= 10_000) else { throw ValidationError("--gigabytes must be in (0, 10000]") }
        guard (1...ShardFormat.maximumSamplesPerShard).contains(samplesPerShard) else {
            throw ValidationError("--samples-per-shard must be 1...\(ShardFormat.maximumSamplesPerShard)")
        }
    }

    func run() throws {
        do {
            var fields: [(String, String)] = []
            let url = URL(fileURLWithPath: directory)
            if generate { fields += try write(to: url) }
            fields += try measureReads(url)
            if let baseline {
                let seconds = try Self.seconds { _ = try PoseIO.load(contentsOf: URL(fileURLWithPath: baseline)) }
                fields += [("baseline", JSONText.quoted(baseline)), ("baseline_load_s", String(format: "%.4f", seconds))]
            }
            if json {
                print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
            } else {
                for (key, value) in fields { print("\(key): \(value)") }
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandSupport.fail("bench shards", error)
        }
    }

    /// Writes the generated dataset; returns its figures.
    private func write(to url: URL) throws -> [(String, String)] {
        let source = try CommandSupport.loadDataset(from)
        guard source.count > 0 else { throw ValidationError("\(from) has no samples to vary") }
        let target = Int(gigabytes * 1e9)
        var variations = SampleVariations(seed: seed)
        var writer = try ShardWriter(directory: url, layout: source.layout, samplesPerShard: samplesPerShard)
        var bytes = 0, samples = 0, frames = 0
        var writing = 0.0
        let total = try Self.seconds {
            do {
                while bytes < target {
                    let sample = try variations.variation(of: source[samples % source.count], number: samples / source.count)
                    writing += try Self.seconds { try writer.append(sample) }
                    bytes += sample.values.count * 4
                    frames += sample.frameCount
                    samples += 1
                }
                writing += try Self.seconds { try writer.finish() }
            } catch {
                writer.abandon()
                throw error
            }
        }
        // write_s: the writer alone (encoding, checksums, atomic writes); generate_s includes making the variations.
        return [("samples", "\(samples)"), ("frames", "\(frames)"), ("frame_bytes", "\(bytes)"),
                ("samples_per_shard", "\(samplesPerShard)"), ("generate_s", String(format: "%.3f", total)),
                ("write_s", String(format: "%.3f", writing)), ("write_mb_per_s", String(format: "%.1f", Double(bytes) / 1e6 / writing))]
    }

    /// Open time (median), random reads and a full pass.
    private func measureReads(_ url: URL) throws -> [(String, String)] {
        var openTimes: [Double] = []
        var dataset: PoseDataset?
        for _ in 0..<opens { openTimes.append(try Self.seconds { dataset = try PoseIO.load(contentsOf: url) }) }
        guard let dataset, dataset.isMapped else { throw ValidationError("\(directory) is not a sharded dataset (no index.json)") }
        let shardCount = Set((try FileManager.default.contentsOfDirectory(atPath: url.path)).filter { $0.hasSuffix(".safetensors") }).count
        var fields: [(String, String)] = [("shards", "\(shardCount)"), ("dataset_samples", "\(dataset.count)"),
                                          ("open_s", String(format: "%.5f", BenchLoadCommand.median(openTimes)))]
        guard dataset.count > 0 else { return fields }
        var generator = SeededGenerator(seed: seed)
        let picks = (0..<reads).map { _ in Int(generator.next() % UInt64(dataset.count)) }
        var checksum: Float = 0
        let randomSeconds = try Self.seconds { for index in picks { checksum += dataset[index].values.last ?? 0 } }
        fields.append(("random_read_us", String(format: "%.1f", randomSeconds / Double(reads) * 1e6)))
        if pass {
            var bytes = 0
            let passSeconds = try Self.seconds { for sample in dataset.samples { bytes += sample.values.count * 4 } }
            fields += [("pass_s", String(format: "%.3f", passSeconds)), ("pass_mb_per_s", String(format: "%.1f", Double(bytes) / 1e6 / passSeconds))]
        }
        fields.append(("checksum", checksum.isFinite ? "\(checksum)" : "null"))  // keeps the reads from being optimised away
        return fields
    }

    private static func seconds(_ body: () throws -> Void) throws -> Double {
        let elapsed = try ContinuousClock().measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
