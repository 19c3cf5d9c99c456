import ArgumentParser
import Platform
import Tensors

/// The process entry: memory set up for numeric work before any other thread allocates, signals
/// that remove the temporaries of interrupted writes (commands that stop cleanly on Ctrl-C install
/// ``InterruptHandling/install()`` instead), then the command.
@main
enum Entry {
    static func main() async {
        Memory.keepFreedBuffers()
        // A bad HYBRIDSIGN_KERNELS stops here with its message, before any command starts work.
        _ = KernelPath.current
        InterruptHandling.installTerminating()
        await HybridSignCommand.main()
    }
}

/// The `hybridsign` command: the REPL, scripts, conversions, training, sampling and benchmarks.
struct HybridSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hybridsign",
        abstract: "Streaming sign-language production: a notebook REPL, scripts and tools.",
        subcommands: [ReplCommand.self, RunCommand.self, ConvertCommand.self, RenderCommand.self,
                      TrainCommand.self, SampleCommand.self, EvalCommand.self, TextEncodeCommand.self, KernelCommand.self, BenchCommand.self,
                      ToolCommand.self],
        defaultSubcommand: ReplCommand.self
    )
}
