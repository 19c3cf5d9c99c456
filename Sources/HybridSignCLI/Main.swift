import ArgumentParser

/// The `hybridsign` command: the REPL, scripts, conversions, training, sampling and benchmarks.
@main
struct HybridSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hybridsign",
        abstract: "Streaming sign-language production: a notebook REPL, scripts and tools.",
        subcommands: [ReplCommand.self, RunCommand.self, ConvertCommand.self, RenderCommand.self,
                      TrainCommand.self, SampleCommand.self, EvalCommand.self, BenchCommand.self],
        defaultSubcommand: ReplCommand.self
    )
}
