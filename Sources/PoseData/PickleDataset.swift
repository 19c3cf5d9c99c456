import Foundation

/// Pose datasets stored as Python pickles: the seed's `train.pkl` / `dev.pkl` / `test.pkl` and the
/// variants real files use, read with the safe ``PickleReader``.
///
/// Read: a top-level list (or tuple) of samples, or a dict name → sample; optionally gzip
/// compressed. A sample is a dict with keypoints under `keypoints`, `pose` or `skeleton`, shaped
/// (T, J, 3) or (T, J·3) — x, y, confidence — as a numpy array or torch tensor of any supported
/// dtype, or as nested lists; and, when present, `text`, `gloss`, `name`, `signer`, `fps` and the
/// authors' `sentence` text features (1, L, W) or (L, W). A sample without `fps` gets
/// ``defaultFPS`` (25, the PHOENIX14T rate). J = 137 means ``Layout/openPose137``; other joint
/// counts need a caller-given layout of that size or get ``Layout/generic(jointCount:)``.
///
/// Written: the seed's format (see ``write(_:to:)``).
public enum PickleDataset {
    /// Frames per second of samples that do not say: 25, the rate of PHOENIX14T.
    public static let defaultFPS = 25.0
    /// The keys keypoints are looked for under, in this order.
    public static let keypointKeys = ["keypoints", "pose", "skeleton"]

    /// Reads a pickled dataset (optionally gzip-compressed) from a file.
    ///
    /// - Parameter layout: the skeleton of the data; nil chooses OpenPose-137 for 137 joints and a
    ///   generic layout otherwise. A given layout must have the data's joint count.
    public static func load(contentsOf url: URL, layout: Layout? = nil) throws(PoseDataError) -> PoseDataset {
        try decode(try readBytes(url), name: url.lastPathComponent, layout: layout)
    }

    /// The whole file, read straight into one buffer (no intermediate `Data`: for large files
    /// every extra copy costs fresh pages).
    static func readBytes(_ url: URL) throws(PoseDataError) -> [UInt8] {
        let path = url.path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw PoseDataError.io("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw PoseDataError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw PoseDataError.io("\(path) is not a regular file") }
        let size = Int(status.st_size)
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            while initialized < size {
                let count = read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    failure = count == 0 ? "the file shrank while it was read" : String(cString: strerror(errno))
                    return
                }
                initialized += count
            }
        }
        if let failure { throw PoseDataError.io("cannot read \(path): \(failure)") }
        return bytes
    }

    /// Decodes a pickled dataset from memory; `name` is used in error messages.
    public static func decode(_ data: Data, name: String, layout: Layout? = nil) throws(PoseDataError) -> PoseDataset {
        try decode([UInt8](data), name: name, layout: layout)
    }

    /// Decodes a pickled dataset (optionally gzip-compressed) from bytes; `name` is used in error messages.
    public static func decode(_ bytes: [UInt8], name: String, layout: Layout? = nil) throws(PoseDataError) -> PoseDataset {
        let root: PickleValue
        let plainSize: Int
        if Gzip.isCompressed(bytes) {
            (root, plainSize) = try PickleReader.read(gzip: bytes, fileName: name)
        } else {
            root = try PickleReader.read(bytes, fileName: name)
            plainSize = bytes.count
        }
        // Shared nested lists can describe far more numbers than the file holds; cap them.
        var decoder = SampleDecoder(fileName: name, elementBudget: 64 &* plainSize &+ (16 << 20))
        return try decoder.dataset(from: root, layout: layout)
    }
}
