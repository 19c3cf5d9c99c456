import Foundation
import Notebook

/// Why a message from a client was dropped.
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parts are not a Jupyter message (no delimiter, too few parts, a part not JSON).
    case malformed(String)
    /// The signature does not match: the sender does not hold the connection's key.
    case badSignature

    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed message: \(reason)"
        case .badSignature: return "message with an invalid signature (not from a client holding the key) dropped"
        }
    }
}

/// A Jupyter protocol message (protocol version 5.3) as it travels over ZeroMQ:
///
///     [identity…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffer…]
///
/// The routing identities come first, the delimiter ends them; the signature is the HMAC of the
/// four JSON parts that follow.
public struct WireMessage: Sendable {
    /// The delimiter between routing identities and the message.
    public static let delimiter = Array("<IDS|MSG>".utf8)
    /// The protocol version this kernel speaks.
    public static let protocolVersion = "5.3"

    /// Routing identities of the sender (ROUTER sockets), or the topic (iopub).
    public var identities: [[UInt8]]
    public var header: JSONValue
    public var parentHeader: JSONValue
    public var metadata: JSONValue
    public var content: JSONValue
    /// Binary buffers after the content (kept, never interpreted).
    public var buffers: [[UInt8]]

    /// Creates a message.
    public init(identities: [[UInt8]] = [], header: JSONValue, parentHeader: JSONValue = [:], metadata: JSONValue = [:],
                content: JSONValue, buffers: [[UInt8]] = []) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// The message's type (`execute_request`).
    public var type: String { header["msg_type"]?.string ?? "" }

    /// A header for a new message of `type` in the kernel's `session`.
    public static func header(type: String, session: String, date: Date = Date()) -> JSONValue {
        [
            "msg_id": .string(UUID().uuidString.lowercased()),
            "session": .string(session),
            "username": "hybridsign",
            "date": .string(timestamp(date)),
            "msg_type": .string(type),
            "version": .string(protocolVersion),
        ]
    }

    /// ISO 8601 with microseconds and a zone, as Jupyter writes dates: `2025-01-31T14:05:09.123456Z`.
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = floor(seconds)
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        let micros = min(Int((seconds - whole) * 1_000_000), 999_999)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }

    /// Reads a message from its ZeroMQ parts, checking the signature.
    public static func decode(_ parts: [[UInt8]], signer: MessageSigner) throws(WireError) -> WireMessage {
        guard let split = parts.firstIndex(of: delimiter) else { throw WireError.malformed("no <IDS|MSG> delimiter") }
        let body = Array(parts[(split + 1)...])
        guard body.count >= 5 else { throw WireError.malformed("\(body.count) parts after the delimiter, at least 5 needed") }
        guard signer.isValid(body[0], for: Array(body[1...4])) else { throw WireError.badSignature }
        func json(_ index: Int, _ name: String) throws(WireError) -> JSONValue {
            do {
                return try JSONValue.parse(body[index])
            } catch {
                throw WireError.malformed("the \(name) is \(error.description)")
            }
        }
        let header = try json(1, "header")
        guard header["msg_type"]?.string != nil else { throw WireError.malformed("the header has no msg_type") }
        return WireMessage(identities: Array(parts[..<split]), header: header, parentHeader: try json(2, "parent header"),
                           metadata: try json(3, "metadata"), content: try json(4, "content"), buffers: Array(body[5...]))
    }

    /// The message's ZeroMQ parts, signed.
    public func encode(signer: MessageSigner) -> [[UInt8]] {
        let jsonParts = [header, parentHeader, metadata, content].map { Array($0.serialized.utf8) }
        return identities + [Self.delimiter, Array(signer.signature(of: jsonParts).utf8)] + jsonParts + buffers
    }

    /// A reply or output caused by this message: a new header of `type`, this message's header as
    /// the parent, and its identities (where a reply is routed).
    public func reply(type: String, session: String, content: JSONValue) -> WireMessage {
        WireMessage(identities: identities, header: Self.header(type: type, session: session), parentHeader: header,
                    content: content)
    }
}
