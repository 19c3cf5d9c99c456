import ArgumentParser
import Foundation
import PoseData
import Render

/// `hybridsign bench render [--json]`: frames per second of drawing 512×512 OpenPose-137 frames
/// (a deterministic synthetic signer), drawing alone, with PNG encoding, and as an animated GIF
/// (in memory, no disk).
struct BenchRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Measure skeleton rendering speed (frames per second): drawing only, with PNG encoding, and as an animated GIF.")

    @Option(help: "Frames per run.")
    var frames: Int = 200

    @Option(help: "Runs; the median is reported.")
    var runs: Int = 5

    @Option(help: "Canvas width and height in pixels.")
    var size: Int = 512

    @Option(help: "Seed of the synthetic signer.")
    var seed: UInt64 = 1

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    mutating func validate() throws {
        guard frames > 0, runs > 0 else { throw ValidationError("--frames and --runs must be positive") }
        guard (16...4096).contains(size) else { throw ValidationError("--size must be 16...4096, not \(size)") }
    }

    func run() throws {
        let sequence = try SyntheticSigner.sequence(frames: frames, seed: seed, fps: 25)
        let options = RenderOptions(width: size, height: size)
        let renderer = SkeletonRenderer(options: options)
        let camera = renderer.camera(for: [sequence])
        var canvas = try Canvas(width: size, height: size, background: options.background)

        func measure(_ body: (Int) throws -> Void) rethrows -> Double {
            var rates: [Double] = []
            for _ in 0..<runs {
                let clock = ContinuousClock()
                let start = clock.now
                for frame in 0..<frames { try body(frame) }
                let elapsed = clock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                rates.append(Double(frames) / max(seconds, 1e-9))
            }
            return rates.sorted()[rates.count / 2]
        }

        var bytes = 0
        let drawOnly = try measure { frame in
            canvas.clear(to: options.background)
            try renderer.draw(frame: frame, of: sequence, camera: camera, into: &canvas)
        }
        let withPNG = try measure { frame in
            canvas.clear(to: options.background)
            try renderer.draw(frame: frame, of: sequence, camera: camera, into: &canvas)
            bytes = try PNG.encode(canvas).count
        }
        var fastBytes = 0
        let withFastPNG = try measure { frame in
            canvas.clear(to: options.background)
            try renderer.draw(frame: frame, of: sequence, camera: camera, into: &canvas)
            fastBytes = try PNG.encode(canvas, fast: true).count
        }
        // One palette for the animation, from three of its frames, as `render … to "x.gif"` makes it.
        var samples: [Canvas] = []
        for frame in [0, frames / 2, frames - 1] {
            canvas.clear(to: options.background)
            try renderer.draw(frame: frame, of: sequence, camera: camera, into: &canvas)
            samples.append(canvas)
        }
        let palette = GIFPalette(sampling: samples)
        var gif = try GIFEncoder(width: size, height: size, palette: palette)
        let withGIF = try measure { frame in
            if frame == 0 { gif = try GIFEncoder(width: size, height: size, palette: palette) }
            canvas.clear(to: options.background)
            try renderer.draw(frame: frame, of: sequence, camera: camera, into: &canvas)
            try gif.append(canvas, delay: 4)
        }
        let gifBytes = gif.finish().count / frames
        func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
        if json {
            print("{\"fps\": \(rounded(drawOnly)), \"fps_png\": \(rounded(withPNG)), \"fps_png_fast\": \(rounded(withFastPNG)), "
                + "\"fps_gif\": \(rounded(withGIF)), \"size\": \(size), \"frames\": \(frames), \"runs\": \(runs), "
                + "\"png_bytes\": \(bytes), \"png_fast_bytes\": \(fastBytes), \"gif_bytes_per_frame\": \(gifBytes)}")
        } else {
            print("render \(size)×\(size), OpenPose-137, \(frames) frames × \(runs) runs (median):")
            print("  draw only        \(rounded(drawOnly)) frames/s")
            print("  draw + PNG       \(rounded(withPNG)) frames/s  (\(bytes) bytes per frame)")
            print("  draw + fast PNG  \(rounded(withFastPNG)) frames/s  (\(fastBytes) bytes per frame)")
            print("  draw + GIF       \(rounded(withGIF)) frames/s  (\(gifBytes) bytes per frame, animated, \(palette.colors.count) colours)")
        }
    }
}
