import Foundation
import Notebook

/// The iopub socket: broadcasts outputs and status to every client. Both the shell thread (cell
/// outputs) and the control thread (status around control requests) publish, so sends are
/// serialised with a lock (a ZeroMQ socket is not thread-safe).
final class Publisher: @unchecked Sendable {
    private let socket: ZMQSocket
    private let signer: MessageSigner
    /// The kernel's session id, in every header.
    let session: String
    private let lock = NSLock()

    init(socket: ZMQSocket, signer: MessageSigner, session: String) {
        self.socket = socket
        self.signer = signer
        self.session = session
    }

    /// Publishes a message of `type` with `content`, as a child of `parent` (nil: none, as for the
    /// `starting` status). The ZeroMQ topic is the message type, as ipykernel's is.
    func publish(_ type: String, _ content: JSONValue, parent: WireMessage?) {
        var message = WireMessage(header: WireMessage.header(type: type, session: session),
                                  parentHeader: parent?.header ?? [:], content: content)
        message.identities = [Array("kernel.\(session).\(type)".utf8)]
        let parts = message.encode(signer: signer)
        lock.lock()
        defer { lock.unlock() }
        // A failed broadcast loses one output; the kernel goes on (a client may reconnect).
        do { try socket.send(parts) } catch { FileHandle.standardError.write(Data("hybridsign kernel: \(error)\n".utf8)) }
    }

    /// Closes the socket (at shutdown, once nothing publishes any more).
    func close() {
        lock.lock()
        defer { lock.unlock() }
        socket.close()
    }

    /// Publishes the kernel's state (`busy`, `idle`, `starting`).
    func status(_ state: String, parent: WireMessage?) {
        publish("status", ["execution_state": .string(state)], parent: parent)
    }
}
