import CZMQ
import Foundation

/// A failure of a ZeroMQ call, with libzmq's reason.
public struct ZMQError: Error, Sendable, CustomStringConvertible {
    /// What was being done and why it failed.
    public let description: String

    init(_ what: String) {
        description = "\(what): \(String(cString: zmq_strerror(zmq_errno())))"
    }
}

/// A ZeroMQ context: owns the I/O thread every socket of the kernel uses.
final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    init() throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError("cannot create a ZeroMQ context") }
        self.handle = handle
    }

    /// Ends the context; blocks until every socket is closed and their lingering messages are sent.
    func terminate() {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}

/// One ZeroMQ socket, sending and receiving multipart messages.
///
/// A ZeroMQ socket must not be used by two threads at once; each socket of the kernel belongs to
/// one thread, except iopub, which ``Publisher`` guards with a lock.
final class ZMQSocket: @unchecked Sendable {
    /// The socket types the kernel uses.
    enum Kind {
        case router, publisher, reply

        var value: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .publisher: return ZMQ_PUB
            case .reply: return ZMQ_REP
            }
        }
    }

    let handle: UnsafeMutableRawPointer
    /// The endpoint the socket is bound to, for messages.
    let endpoint: String

    /// Creates a socket of `kind` and binds it to `endpoint` (`tcp://127.0.0.1:5555`).
    init(_ kind: Kind, context: ZMQContext, endpoint: String) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, kind.value) else { throw ZMQError("cannot create a socket") }
        self.handle = handle
        self.endpoint = endpoint
        // Unsent messages are dropped one second after close, so shutting down never hangs on a gone client.
        var linger: Int32 = 1000
        zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
        if kind == .router {
            // A client that reconnects with the same identity takes its place instead of being refused.
            var handover: Int32 = 1
            zmq_setsockopt(handle, ZMQ_ROUTER_HANDOVER, &handover, MemoryLayout<Int32>.size)
        }
        guard zmq_bind(handle, endpoint) == 0 else {
            let error = ZMQError("cannot bind \(endpoint)")
            zmq_close(handle)
            throw error
        }
    }

    /// Closes the socket.
    func close() {
        zmq_close(handle)
    }

    /// Sends `parts` as one multipart message.
    func send(_ parts: [[UInt8]]) throws(ZMQError) {
        for (index, part) in parts.enumerated() {
            let flags = index < parts.count - 1 ? ZMQ_SNDMORE : 0
            while true {
                let sent = part.withUnsafeBytes { zmq_send(handle, $0.baseAddress, part.count, flags) }
                if sent >= 0 { break }
                if zmq_errno() == EINTR { continue }
                throw ZMQError("cannot send on \(endpoint)")
            }
        }
    }

    /// Receives one multipart message; blocks until one arrives. Returns nil when a signal
    /// interrupted the wait before any part arrived.
    func receive() throws(ZMQError) -> [[UInt8]]? {
        var parts: [[UInt8]] = []
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        repeat {
            if zmq_msg_recv(&message, handle, 0) < 0 {
                if zmq_errno() == EINTR {
                    if parts.isEmpty { return nil }
                    continue  // the rest of a multipart message is already queued
                }
                throw ZMQError("cannot receive on \(endpoint)")
            }
            let size = zmq_msg_size(&message)
            let data = zmq_msg_data(&message)
            parts.append(size == 0 ? [] : Array(UnsafeRawBufferPointer(start: data, count: size)))
        } while zmq_msg_more(&message) != 0
        return parts
    }

    /// Waits up to `milliseconds` (−1: forever) until one of `sockets` has a message; returns
    /// which ones do. A signal ends the wait early with none ready.
    static func poll(_ sockets: [ZMQSocket], milliseconds: Int) throws(ZMQError) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let ready = zmq_poll(&items, Int32(items.count), milliseconds)
        if ready < 0 {
            if zmq_errno() == EINTR { return Array(repeating: false, count: sockets.count) }
            throw ZMQError("cannot wait for messages")
        }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
