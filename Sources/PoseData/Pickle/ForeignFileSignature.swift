/// Recognises files that are plainly not pickles from their first bytes, so a renamed image or
/// archive is reported as what it is instead of as a confusing opcode error deep inside it.
enum ForeignFileSignature {
    /// Magic numbers of formats people mistake for (or rename to) `.pkl`, with what to call them.
    private static let known: [(magic: [UInt8], name: String)] = [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ([0x47, 0x49, 0x46, 0x38], "a GIF image"),
        ([0x25, 0x50, 0x44, 0x46], "a PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (torch.save's default format is one)"),
        ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59], "a NumPy .npy array"),
        ([0x89, 0x48, 0x44, 0x46], "an HDF5 file"),
    ]

    /// What the bytes look like when they start with a known non-pickle signature, else nil.
    static func name(of bytes: ArraySlice<UInt8>) -> String? {
        known.first { bytes.starts(with: $0.magic) }?.name
    }
}
