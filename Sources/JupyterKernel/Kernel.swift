import Foundation
import Notebook
import Platform
import Synchronization

/// The HybridSign Jupyter kernel: a notebook ``Session`` behind the Jupyter messaging protocol
/// (5.3) over ZeroMQ.
///
/// Five sockets, as the connection file says: shell (requests, answered on the main thread, where
/// cells run), control (shutdown and interrupt requests, answered on their own thread even while a
/// cell runs), iopub (outputs and status, to every client), stdin (bound; the language never asks
/// for input) and heartbeat (echoed on its own thread). Interrupts arrive as SIGINT
/// (`interrupt_mode: signal`) or as `interrupt_request`; both stop the running statement and the
/// kernel goes on.
public final class Kernel: @unchecked Sendable {
    private let connection: ConnectionInfo
    private let signer: MessageSigner
    private let context: ZMQContext
    private let shell: ZMQSocket, control: ZMQSocket, stdin: ZMQSocket, heartbeat: ZMQSocket
    let publisher: Publisher
    let display: KernelDisplay
    /// The session the cells run in, as at the REPL.
    public let session: Session
    private let stopping = Atomic<Bool>(false)
    private let mainLoopEnded = Atomic<Bool>(false)
    /// Signalled by the heartbeat and control threads as they end.
    private let threadEnded = DispatchSemaphore(value: 0)
    let log: (String) -> Void

    /// Binds the sockets of `connection` and makes the session. `log` receives diagnostics (the
    /// kernel's standard error, which Jupyter shows in its server log).
    public init(connection: ConnectionInfo, registry: VerbRegistry = VerbRegistry(),
                log: @escaping (String) -> Void = { FileHandle.standardError.write(Data(("hybridsign kernel: " + $0 + "\n").utf8)) }) throws {
        self.connection = connection
        self.log = log
        signer = MessageSigner(key: connection.key)
        context = try ZMQContext()
        shell = try ZMQSocket(.router, context: context, endpoint: connection.endpoint(connection.shellPort))
        control = try ZMQSocket(.router, context: context, endpoint: connection.endpoint(connection.controlPort))
        stdin = try ZMQSocket(.router, context: context, endpoint: connection.endpoint(connection.stdinPort))
        heartbeat = try ZMQSocket(.reply, context: context, endpoint: connection.endpoint(connection.heartbeatPort))
        let iopub = try ZMQSocket(.publisher, context: context, endpoint: connection.endpoint(connection.iopubPort))
        publisher = Publisher(socket: iopub, signer: signer, session: UUID().uuidString.lowercased())
        display = KernelDisplay(publisher: publisher)
        let display = self.display
        let output = NotebookOutput(isTerminal: true,
                                    standardOutput: { display.stream($0, name: "stdout") },
                                    standardError: { display.stream($0, name: "stderr") },
                                    richDisplay: display)
        session = Session(registry: registry, output: output)
    }

    /// Serves requests until a `shutdown_request`; returns the process's exit status.
    public func run() -> Int32 {
        publisher.status("starting", parent: nil)
        startThread("heartbeat") { [self] in echoHeartbeats() }
        startThread("control") { [self] in serveControl() }
        publisher.status("idle", parent: nil)
        serveShell()
        mainLoopEnded.store(true, ordering: .sequentiallyConsistent)
        // The other loops see `stopping` within one poll; their sockets close after they end.
        stopping.store(true, ordering: .sequentiallyConsistent)
        threadEnded.wait()
        threadEnded.wait()
        close()
        return 0
    }

    // MARK: - Loops

    private func startThread(_ name: String, _ loop: @escaping @Sendable () -> Void) {
        let thread = Thread { [threadEnded] in
            loop()
            threadEnded.signal()
        }
        thread.name = name
        thread.start()
    }

    private var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    private func serveShell() {
        while !isStopping {
            let ready: [Bool]
            do {
                ready = try ZMQSocket.poll([shell, stdin], milliseconds: 100)
            } catch {
                log("\(error)")
                return
            }
            if ready[1] { _ = try? stdin.receive() }  // never asked for: dropped
            guard ready[0], let message = receive(on: shell) else { continue }
            publisher.status("busy", parent: message)
            handleShell(message)
            publisher.status("idle", parent: message)
        }
    }

    private func serveControl() {
        while !isStopping {
            guard (try? ZMQSocket.poll([control], milliseconds: 100))?.first == true,
                  let message = receive(on: control) else { continue }
            publisher.status("busy", parent: message)
            switch message.type {
            case "shutdown_request":
                shutDown(message, replyingOn: control)
            case "interrupt_request":
                InterruptFlag.process.set()
                send(message.reply(type: "interrupt_reply", session: publisher.session, content: ["status": "ok"]), on: control)
            case "kernel_info_request":
                send(message.reply(type: "kernel_info_reply", session: publisher.session, content: kernelInfo), on: control)
            default:
                log("control message '\(message.type)' is not supported; ignored")
            }
            publisher.status("idle", parent: message)
        }
    }

    private func echoHeartbeats() {
        while !isStopping {
            guard (try? ZMQSocket.poll([heartbeat], milliseconds: 100))?.first == true,
                  let ping = try? heartbeat.receive() else { continue }
            try? heartbeat.send(ping)
        }
    }

    /// Answers a shutdown request, stops the loops and stops the running statement. A statement
    /// that does not stop within a few seconds is not waited for: the process exits.
    func shutDown(_ request: WireMessage, replyingOn socket: ZMQSocket) {
        let restart = request.content["restart"]?.bool ?? false
        send(request.reply(type: "shutdown_reply", session: publisher.session,
                           content: ["status": "ok", "restart": .bool(restart)]), on: socket)
        stopping.store(true, ordering: .sequentiallyConsistent)
        InterruptFlag.process.set()
        guard socket === control else { return }
        for _ in 0..<50 where !mainLoopEnded.load(ordering: .sequentiallyConsistent) { usleep(100_000) }
        if !mainLoopEnded.load(ordering: .sequentiallyConsistent) {
            log("the running statement did not stop within 5 s of the shutdown request; exiting")
            exit(0)
        }
    }

    private func close() {
        for socket in [shell, control, stdin, heartbeat] { socket.close() }
        publisher.close()
        context.terminate()
    }

    // MARK: - Messages

    /// The next message on `socket`; malformed or wrongly signed ones are logged and dropped.
    private func receive(on socket: ZMQSocket) -> WireMessage? {
        do {
            guard let parts = try socket.receive() else { return nil }
            return try WireMessage.decode(parts, signer: signer)
        } catch {
            log("\(error)")
            return nil
        }
    }

    func send(_ message: WireMessage, on socket: ZMQSocket) {
        do { try socket.send(message.encode(signer: signer)) } catch { log("\(error)") }
    }

    /// Sends the reply of `type` to `request` on the shell socket.
    func reply(to request: WireMessage, type: String, content: JSONValue) {
        send(request.reply(type: type, session: publisher.session, content: content), on: shell)
    }

    var shellSocket: ZMQSocket { shell }
}
