import ArgumentParser
import Foundation
import JupyterKernel
import Notebook
import Platform

/// `hybridsign kernel`: the Jupyter kernel (`-f CONNECTION.json`, as Jupyter starts it) and
/// `kernel install`, which registers it with Jupyter.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "The Jupyter kernel for the notebook language: run it (as Jupyter does) or install its kernelspec.",
        subcommands: [KernelRunCommand.self, KernelInstallCommand.self],
        defaultSubcommand: KernelRunCommand.self)
}

/// `hybridsign kernel -f CONNECTION.json`: serves one notebook until Jupyter shuts it down.
struct KernelRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the kernel with a connection file written by Jupyter.",
        discussion: "Jupyter starts this through the kernelspec that `hybridsign kernel install` writes; you need not run it yourself.")

    @Option(name: .customShort("f"), help: ArgumentHelp("The connection file (ports and key) Jupyter wrote.", valueName: "CONNECTION.json"))
    var connectionFile: String

    func run() throws {
        InterruptHandling.install(forcedExit: false)
        let kernel: Kernel
        do {
            kernel = try Kernel(connection: try ConnectionInfo(contentsOf: connectionFile))
        } catch {
            throw CommandSupport.fail("kernel", error)
        }
        let status = kernel.run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// `hybridsign kernel install [--user | --prefix DIR]`: writes the kernelspec `hybridsign`.
struct KernelInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Register the kernel with Jupyter (kernelspec 'hybridsign', shown as \"HybridSign\").",
        discussion: """
            Without options the spec goes to /usr/local/share/jupyter/kernels (every user; needs root). \
            The spec starts this executable by its absolute path, so install again after moving it.
            """)

    @Flag(help: "Install for the current user only (~/.local/share/jupyter/kernels, or $JUPYTER_DATA_DIR/kernels).")
    var user = false

    @Option(help: ArgumentHelp("Install under PREFIX/share/jupyter/kernels (for example a virtual environment).", valueName: "PREFIX"))
    var prefix: String?

    func validate() throws {
        if user && prefix != nil { throw ValidationError("give --user or --prefix, not both") }
    }

    func run() throws {
        let location: KernelSpec.Location = prefix.map { .prefix($0) } ?? (user ? .user : .system)
        do {
            let folder = try KernelSpec.install(executable: try Self.executablePath(), at: location)
            print("installed the HybridSign kernel in \(folder); choose \"HybridSign\" in Jupyter's launcher")
        } catch {
            throw CommandSupport.fail("kernel install", error)
        }
    }

    /// This executable's absolute path, symbolic links resolved.
    static func executablePath() throws -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        let argument = CommandLine.arguments[0]
        guard argument.contains("/") else { throw ValidationError("cannot tell where this executable is; run it by its path") }
        return URL(fileURLWithPath: argument).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
