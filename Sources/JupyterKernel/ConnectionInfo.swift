import Foundation
import Notebook

/// The connection file Jupyter writes for a kernel (`kernel-1234.json`): where to bind the five
/// sockets and the key that signs messages.
public struct ConnectionInfo: Sendable, Equatable {
    /// `tcp` or `ipc`.
    public var transport: String
    /// The address (tcp) or path prefix (ipc) to bind.
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var heartbeatPort: Int
    /// The HMAC key; empty means messages are not signed.
    public var key: String
    /// `hmac-sha256`, the only scheme this kernel speaks.
    public var signatureScheme: String

    /// Reads and checks a connection file.
    public init(contentsOf path: String) throws(KernelError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelError("cannot read the connection file '\(path)': "
                              + (FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"))
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(Array(data))
        } catch {
            throw KernelError("the connection file '\(path)' is \(error.description)")
        }
        try self.init(json: json, source: path)
    }

    /// Reads the fields of a parsed connection file; `source` names it in errors.
    public init(json: JSONValue, source: String) throws(KernelError) {
        func port(_ name: String) throws(KernelError) -> Int {
            guard let value = json[name]?.integer, (0...65_535).contains(value) else {
                throw KernelError("the connection file '\(source)' has no valid '\(name)' (a port number 0…65535)")
            }
            return value
        }
        transport = json["transport"]?.string ?? "tcp"
        guard transport == "tcp" || transport == "ipc" else {
            throw KernelError("the connection file '\(source)' asks for transport '\(transport)'; this kernel speaks tcp and ipc")
        }
        ip = json["ip"]?.string ?? "127.0.0.1"
        shellPort = try port("shell_port")
        iopubPort = try port("iopub_port")
        stdinPort = try port("stdin_port")
        controlPort = try port("control_port")
        heartbeatPort = try port("hb_port")
        key = json["key"]?.string ?? ""
        signatureScheme = json["signature_scheme"]?.string ?? "hmac-sha256"
        guard key.isEmpty || signatureScheme == "hmac-sha256" else {
            throw KernelError("the connection file '\(source)' asks for signature scheme '\(signatureScheme)'; this kernel signs with hmac-sha256")
        }
    }

    /// The ZeroMQ endpoint of `port`: `tcp://127.0.0.1:5555`, or `ipc://PATH-5555` (as Jupyter names ipc sockets).
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}

/// Why the kernel cannot start or go on: said so a person can act on it.
public struct KernelError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
