import Foundation
import Platform

/// Writes numbered PNG frames `DIR/frame_0000.png, frame_0001.png, ...` into a directory, each file
/// atomically. ``finish(frameCount:)`` removes stale `frame_*.png` files left by an earlier, longer
/// render into the same directory, so the directory always holds exactly one sequence.
public struct FrameSequenceWriter: Sendable {
    /// The output directory.
    public let directory: URL
    /// Digits in frame numbers (at least 4).
    public let digits: Int
    /// Whether PNGs are encoded with libpng's fast settings.
    public let fast: Bool

    /// Prepares `directory` (created when missing) for `frameCount` frames.
    public init(directory: URL, frameCount: Int, fast: Bool = false) throws(RenderError) {
        do { try Directories.makeWritable(directory.path) } catch { throw RenderError(error) }
        self.directory = directory
        self.digits = max(4, String(max(frameCount - 1, 0)).count)
        self.fast = fast
    }

    /// The file name of frame `index`, for example `frame_0007.png`.
    public func fileName(ofFrame index: Int) -> String {
        let number = String(index)
        return "frame_" + String(repeating: "0", count: max(0, digits - number.count)) + number + ".png"
    }

    /// Writes `canvas` as frame `index` and returns its URL.
    @discardableResult
    public func write(_ canvas: Canvas, frame index: Int) throws(RenderError) -> URL {
        let url = directory.appendingPathComponent(fileName(ofFrame: index))
        // Frames are derived and many: atomic, but not each waited for on the disk (~4 ms apiece).
        try PNG.write(canvas, to: url, fast: fast, flushing: false)
        return url
    }

    /// Removes `frame_<digits>.png` files whose number is `frameCount` or more, or whose digit count
    /// differs (left by an earlier render); other files are left alone.
    public func finish(frameCount: Int) throws(RenderError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw RenderError.io("cannot list '\(directory.path)': \(error.localizedDescription)")
        }
        for name in names where name.hasPrefix("frame_") && name.hasSuffix(".png") {
            let number = name.dropFirst("frame_".count).dropLast(".png".count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber),
                  let value = Int(number) else { continue }
            if value >= frameCount || number.count != digits {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }
}
