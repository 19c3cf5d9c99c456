import Foundation
import Notebook
import Platform

/// The kernelspec that tells Jupyter how to start the kernel: a folder `hybridsign/` holding
/// `kernel.json` in one of Jupyter's kernel directories.
public enum KernelSpec {
    /// Where `hybridsign kernel install` puts the spec.
    public enum Location: Sendable, Equatable {
        /// For every user: `/usr/local/share/jupyter/kernels` (Jupyter's system-wide default).
        case system
        /// For this user: `$JUPYTER_DATA_DIR/kernels`, else `$XDG_DATA_HOME/jupyter/kernels`,
        /// else `~/.local/share/jupyter/kernels`.
        case user
        /// Under a prefix (a virtual environment, a test's folder): `PREFIX/share/jupyter/kernels`.
        case prefix(String)

        /// The kernels directory of this location, given the environment.
        public func kernelsDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
            switch self {
            case .system: return "/usr/local/share/jupyter/kernels"
            case .prefix(let prefix): return (prefix as NSString).appendingPathComponent("share/jupyter/kernels")
            case .user:
                if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty {
                    return (data as NSString).appendingPathComponent("kernels")
                }
                if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
                    return (xdg as NSString).appendingPathComponent("jupyter/kernels")
                }
                let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
                return (home as NSString).appendingPathComponent(".local/share/jupyter/kernels")
            }
        }
    }

    /// `kernel.json` for the kernel started as `executable kernel -f CONNECTION_FILE`.
    public static func json(executable: String) -> JSONValue {
        [
            "argv": [.string(executable), "kernel", "-f", "{connection_file}"],
            "display_name": .string(JupyterOutput.displayName),
            "language": "hybridsign",
            // Jupyter interrupts with SIGINT, which stops the running statement and keeps the kernel.
            "interrupt_mode": "signal",
            "metadata": [:],
        ]
    }

    /// Writes the spec for `executable` into `location`; returns the spec's folder.
    @discardableResult
    public static func install(executable: String, at location: Location,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(KernelError) -> String {
        let folder = (location.kernelsDirectory(environment: environment) as NSString)
            .appendingPathComponent(JupyterOutput.kernelName)
        do {
            try AtomicFile.write(json(executable: executable).serialized(indent: 1) + "\n",
                                 to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("kernel.json")),
                                 creatingDirectories: true)
        } catch {
            let hint = location == .system ? " (installing for every user needs root; --user installs for you alone)" : ""
            throw KernelError(error.description + hint)
        }
        return folder
    }
}
