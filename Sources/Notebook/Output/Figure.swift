import Foundation

/// An image a cell made (a contact sheet, a plot, an animation), with its bytes as they were when
/// the cell made it.
///
/// Keeping the bytes lets a front end show the image inline (the Jupyter kernel) and lets an
/// exported notebook carry each cell's own picture, even when a later cell writes a new image to
/// the same path.
public struct Figure: Sendable, Equatable {
    /// The image formats a figure can hold, known by their first bytes.
    public enum Format: String, Sendable, CaseIterable {
        case png, gif

        /// The MIME type (`image/png`).
        public var mimeType: String { "image/\(rawValue)" }

        /// The format whose signature `bytes` start with.
        init?(signatureOf bytes: some Collection<UInt8>) {
            if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) {
                self = .gif
            } else {
                return nil
            }
        }
    }

    /// Images larger than this are linked, not kept: a notebook stays a size a browser opens.
    public static let maximumBytes = 64 << 20

    /// The path the image was written to, as the user gave it.
    public var path: String
    /// What it shows ("contact sheet of 'Baum'"), when the verb said.
    public var caption: String?
    /// PNG or GIF.
    public var format: Format
    /// The encoded image.
    public var data: Data

    /// Creates a figure from encoded image bytes.
    public init(path: String, caption: String?, format: Format, data: Data) {
        self.path = path
        self.caption = caption
        self.format = format
        self.data = data
    }

    /// The image `file` names, read now; nil when it is not an image this type knows (a video, a
    /// directory), cannot be read, or is larger than ``maximumBytes``.
    public init?(snapshotOf file: FileResult) {
        guard file.kind == .image else { return nil }
        let url = outputURL(file.path)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              (attributes[.type] as? FileAttributeType) == .typeRegular,
              let size = attributes[.size] as? Int, size <= Self.maximumBytes,
              let data = FileManager.default.contents(atPath: url.path),
              let format = Format(signatureOf: data) else { return nil }
        self.init(path: file.path, caption: file.caption, format: format, data: data)
    }

    /// The file name the figure had (`sheet.png`), for captions and exported copies.
    public var fileName: String { (path as NSString).lastPathComponent }
}
