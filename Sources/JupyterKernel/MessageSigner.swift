import Crypto
import Foundation

/// Signs and checks Jupyter messages: HMAC-SHA256 over the header, parent header, metadata and
/// content, as lowercase hex. An empty key turns signing off (the signature is empty), as Jupyter
/// does.
///
/// `@unchecked`: swift-crypto's `SymmetricKey` is not marked Sendable, but it is an immutable value
/// that this type only reads.
public struct MessageSigner: @unchecked Sendable {
    private let key: SymmetricKey?

    /// A signer with the connection file's key.
    public init(key: String) {
        self.key = key.isEmpty ? nil : SymmetricKey(data: Data(key.utf8))
    }

    /// The signature of `parts` (header, parent header, metadata, content, in that order).
    public func signature(of parts: [[UInt8]]) -> String {
        guard let key else { return "" }
        var hmac = HMAC<SHA256>(key: key)
        for part in parts { hmac.update(data: part) }
        return hmac.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` (hex) signs `parts`; compared in constant time.
    public func isValid(_ signature: [UInt8], for parts: [[UInt8]]) -> Bool {
        guard let key else { return true }
        guard signature.count == SHA256.byteCount * 2, let bytes = Self.decodeHex(signature) else { return false }
        var joined = Data()
        for part in parts { joined.append(contentsOf: part) }
        return HMAC<SHA256>.isValidAuthenticationCode(bytes, authenticating: joined, using: key)
    }

    private static func decodeHex(_ text: [UInt8]) -> [UInt8]? {
        func nibble(_ character: UInt8) -> UInt8? {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = 0
        while index + 1 < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
