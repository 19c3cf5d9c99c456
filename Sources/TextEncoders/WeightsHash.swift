import Platform

/// A 64-bit fingerprint of a weights file, printed as 16 hex digits: what a checkpoint records to
/// know its text encoder again. It tells files apart (any one changed 8-byte word changes it); it
/// is not a cryptographic hash and does not guard against a file made to collide on purpose.
///
/// Defined so that a vectorised reader computes it at memory speed (the twin does, in numpy): over
/// the little-endian 8-byte words `w_i` of the file, with odd multipliers `k_i = 2i + 1`,
/// `a = Σ w_i · k_i · C1` and `b = Σ (w_i ⊕ (w_i ≫ 31)) · k_i · C2` (mod 2⁶⁴); the last `n mod 8`
/// bytes form one more little-endian word `t`; the hash is the 64-bit finaliser of MurmurHash3
/// applied to `a ⊕ rotl(b, 32) ⊕ t · C3 ⊕ n`.
public enum WeightsHash {
    static let c1: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let c2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let c3: UInt64 = 0xFF51_AFD7_ED55_8CCD

    /// The hash of the file at `path` (read through a memory map).
    public static func of(fileAt path: String) throws(TextEncoderError) -> String {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw TextEncoderError("\(error.description)") }
        return of(file.bytes)
    }

    /// The hash of `bytes`.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        let count = bytes.count
        let words = count / 8
        var a: UInt64 = 0, b: UInt64 = 0
        if let base = bytes.baseAddress {
            for i in 0..<words {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                let k = UInt64(truncatingIfNeeded: i) &* 2 &+ 1
                a = a &+ w &* (k &* c1)
                b = b &+ (w ^ (w >> 31)) &* (k &* c2)
            }
        }
        var tail: UInt64 = 0
        for j in (8 * words)..<count { tail |= UInt64(bytes[j]) << (8 * UInt64(j - 8 * words)) }
        var h = a ^ ((b << 32) | (b >> 32)) ^ (tail &* c3) ^ UInt64(count)
        h ^= h >> 33; h = h &* c3; h ^= h >> 33; h = h &* 0xC4CE_B9FE_1A85_EC53; h ^= h >> 33
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
