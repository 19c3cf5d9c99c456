import ArgumentParser

/// `hybridsign bench`: micro- and macro-benchmarks. Each subcommand lives in its own file.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the numeric engine and the model (prints figures; --json for machines).",
        subcommands: [BenchGemmCommand.self, BenchBlockCommand.self, BenchFrameCommand.self,
                      BenchStreamCommand.self, BenchTrainCommand.self, BenchLoadCommand.self, BenchShardsCommand.self, BenchRenderCommand.self,
                      BenchTextEncodeCommand.self]
    )
}
