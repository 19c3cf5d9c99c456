import CPNG
import Foundation
import Platform

/// PNG encoding and decoding through libpng's simplified API (`png_image_*`), which reports errors
/// in the image's message instead of longjmp.
public enum PNG {
    /// Encodes `canvas` as an 8-bit PNG: RGB when every pixel is opaque (smaller files), RGBA otherwise.
    ///
    /// `fast` trades size for speed (libpng's `PNG_IMAGE_FLAG_FAST`: cheaper filters and zlib level);
    /// files are typically 10–40 % larger.
    public static func encode(_ canvas: Canvas, fast: Bool = false) throws(RenderError) -> [UInt8] {
        let opaque = canvas.isOpaque
        var image = png_image()
        image.version = UInt32(HS_PNG_IMAGE_VERSION)
        image.width = UInt32(canvas.width)
        image.height = UInt32(canvas.height)
        image.format = UInt32(opaque ? HS_PNG_FORMAT_RGB : HS_PNG_FORMAT_RGBA)
        image.flags = fast ? UInt32(HS_PNG_IMAGE_FLAG_FAST) : 0
        let source: [UInt8] = opaque ? rgb(of: canvas) : canvas.pixels
        var capacity = hs_png_image_png_size_max(&image)
        var output = [UInt8](repeating: 0, count: capacity)
        let ok = output.withUnsafeMutableBytes { out in
            source.withUnsafeBytes { pixels in
                png_image_write_to_memory(&image, out.baseAddress, &capacity, 0, pixels.baseAddress, 0, nil)
            }
        }
        defer { png_image_free(&image) }
        guard ok != 0, hs_png_image_failed(&image) == 0 || capacity > 0 else {
            throw RenderError.png("libpng could not encode a \(canvas.width)×\(canvas.height) image: \(message(of: &image))")
        }
        output.removeSubrange(capacity...)
        return output
    }

    /// Writes `canvas` to `url` as PNG, atomically (``Platform/AtomicFile``). `flushing: false`
    /// skips waiting for the disk, for frames written by the hundred.
    public static func write(_ canvas: Canvas, to url: URL, fast: Bool = false, flushing: Bool = true) throws(RenderError) {
        let bytes = try encode(canvas, fast: fast)
        do { try AtomicFile.write(bytes, to: url, flushing: flushing) } catch { throw RenderError(error) }
    }

    /// Reads a PNG file of any colour type and bit depth as an 8-bit RGBA canvas.
    public static func read(from url: URL) throws(RenderError) -> Canvas {
        var image = png_image()
        image.version = UInt32(HS_PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, url.path) != 0 else {
            let reason = message(of: &image)
            png_image_free(&image)
            throw RenderError.png("cannot read PNG '\(url.path)': \(reason)")
        }
        defer { png_image_free(&image) }
        let width = Int(image.width), height = Int(image.height)
        guard width > 0, height > 0, width <= Canvas.maximumSide, height <= Canvas.maximumSide else {
            throw RenderError.png("PNG '\(url.path)' is \(width)×\(height); sides must be 1...\(Canvas.maximumSide)")
        }
        image.format = UInt32(HS_PNG_FORMAT_RGBA)
        var pixels = [UInt8](repeating: 0, count: hs_png_image_size(&image))
        let ok = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, 0, nil)
        }
        guard ok != 0 else {
            throw RenderError.png("cannot decode PNG '\(url.path)': \(message(of: &image))")
        }
        return try Canvas(width: width, height: height, rgba: pixels)
    }

    /// The canvas without its alpha channel, 3 bytes per pixel.
    private static func rgb(of canvas: Canvas) -> [UInt8] {
        let count = canvas.width * canvas.height
        return [UInt8](unsafeUninitializedCapacity: count * 3) { output, initialized in
            canvas.pixels.withUnsafeBufferPointer { input in
                for i in 0..<count {
                    output[i * 3] = input[i * 4]
                    output[i * 3 + 1] = input[i * 4 + 1]
                    output[i * 3 + 2] = input[i * 4 + 2]
                }
            }
            initialized = count * 3
        }
    }

    /// libpng's error or warning text (a fixed 64-byte C string inside the image).
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "unknown libpng error" : text
        }
    }
}
