#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Platform
import PoseData

/// Motion as an `.mp4` video, through an `ffmpeg` on the PATH: the frames ``AnimatedRender``
/// draws, piped to ffmpeg as raw RGBA at the sequence's rate (or the one given), H.264 or whatever
/// ffmpeg picks for `.mp4`, yuv420p so every player opens it.
public enum VideoRender {
    /// The `ffmpeg` executable in `searchPath` (a PATH value), or nil.
    public static func ffmpeg(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for directory in (searchPath ?? "").split(separator: ":") where !directory.isEmpty {
            let candidate = (String(directory) as NSString).appendingPathComponent("ffmpeg")
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Renders `sequences` (one, or several side by side with `labels`) to the video `url`,
    /// written through a temporary file beside it and renamed. `ffmpeg` is the executable to run
    /// (default: the one on the PATH; none is an error that says how to get one).
    @discardableResult
    public static func mp4(_ sequences: [PoseSequence], labels: [String]? = nil, to url: URL,
                           options: RenderOptions = RenderOptions(), fps: Double? = nil, ffmpeg: String? = VideoRender.ffmpeg(),
                           progress: RenderProgress? = nil, isCancelled: RenderCancellation? = nil) throws(RenderError) -> AnimationInfo {
        guard let ffmpeg else {
            throw RenderError.invalidArgument("writing '\(url.lastPathComponent)' needs ffmpeg on the PATH, and there is none; "
                                              + "install it (Debian/Ubuntu: apt-get install ffmpeg) or render to a .gif")
        }
        let frames = try FrameDrawer(sequences, labels: labels, options: options)
        let rate = fps ?? sequences[0].fps
        guard rate.isFinite, rate > 0 else {
            throw RenderError.invalidArgument("a video's frame rate must be a positive number, not \(rate)")
        }
        let replacement: AtomicFile.Replacement
        do { replacement = try AtomicFile.Replacement(for: url, creatingDirectories: true) } catch { throw RenderError(error) }
        defer { replacement.discard() }
        // ffmpeg fills the atomic writer's temporary; its name does not end in .mp4, hence `-f mp4`.
        let encoder = try FFmpegProcess(executable: ffmpeg, arguments: [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", "\(frames.width)x\(frames.height)", "-r", "\(rate)", "-i", "-",
            "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
            "-f", "mp4", replacement.temporaryPath,
        ])
        var canvas = try Canvas(width: frames.width, height: frames.height, background: options.background)
        for frame in 0..<frames.count {
            if isCancelled?() == true {
                encoder.abandon()
                throw RenderError.cancelled
            }
            try frames.draw(frame, into: &canvas)
            try encoder.send(canvas.pixels)
            progress?(frame + 1, frames.count)
        }
        try encoder.finish()
        do { try replacement.commit() } catch { throw RenderError(error) }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
        return AnimationInfo(url: url, frames: frames.count, fps: rate, seconds: Double(frames.count) / rate,
                             width: frames.width, height: frames.height, bytes: bytes)
    }
}

/// A running ffmpeg fed through its standard input; its standard error is kept for the message
/// when it fails.
private final class FFmpegProcess {
    private let process = Process()
    private let input = Pipe()
    private let errors: URL
    private let executable: String

    init(executable: String, arguments: [String]) throws(RenderError) {
        self.executable = executable
        // A broken pipe (ffmpeg stopped early) must be an error here, not the end of the process.
        signal(SIGPIPE, SIG_IGN)
        errors = FileManager.default.temporaryDirectory.appendingPathComponent("hybridsign-ffmpeg-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
        guard FileManager.default.createFile(atPath: errors.path, contents: nil) else {
            throw RenderError.io("cannot create ffmpeg's log file in \(errors.deletingLastPathComponent().path): check that the temporary directory ($TMPDIR) is writable and the disk is not full")
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        do {
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: errors)
            throw RenderError.io("cannot run ffmpeg at '\(executable)': \(error.localizedDescription)")
        }
    }

    deinit { try? FileManager.default.removeItem(at: errors) }

    /// Writes one frame's bytes to ffmpeg.
    func send(_ bytes: [UInt8]) throws(RenderError) {
        let descriptor = input.fileHandleForWriting.fileDescriptor
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                try? input.fileHandleForWriting.close()
                process.waitUntilExit()
                throw RenderError.io("ffmpeg stopped reading frames: \(message())")
            }
            written += result
        }
    }

    /// Ends the input and waits for ffmpeg; a failure carries what ffmpeg said.
    func finish() throws(RenderError) {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RenderError.io("ffmpeg failed (status \(process.terminationStatus)): \(message())")
        }
    }

    /// Stops ffmpeg (the render was cancelled).
    func abandon() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    private func message() -> String {
        let text = (try? String(contentsOf: errors, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? "it gave no reason" : String(text.suffix(600))
    }
}
