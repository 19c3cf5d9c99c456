import Foundation
import PoseData

/// Seeded variations of real recordings — time-stretched, scaled, shifted and jittered — to make
/// datasets of any size that still look like signing (for `bench shards --generate` and the
/// larger-than-memory training demonstration). The same seed gives the same samples.
struct SampleVariations {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// Variation `number` of `sample`: 0.85–1.15× its duration, 0.9–1.1× its size, shifted by up to
    /// 20 units, with Gaussian noise of 0.5 units on every present joint; named `NAME-vNUMBER`.
    mutating func variation(of sample: PoseSequence, number: Int) throws -> PoseSequence {
        let stretch = 0.85 + 0.3 * generator.nextUnit()
        var varied = try sample.resampled(toFPS: sample.fps * stretch)
        varied.fps = sample.fps
        let scale = Float(0.9 + 0.2 * generator.nextUnit())
        let shift = (Float(40 * generator.nextUnit() - 20), Float(40 * generator.nextUnit() - 20))
        var i = 0
        while i < varied.values.count {
            if varied.values[i + 2] > 0 {
                varied.values[i] = varied.values[i] * scale + shift.0 + 0.5 * gaussian()
                varied.values[i + 1] = varied.values[i + 1] * scale + shift.1 + 0.5 * gaussian()
            }
            i += 3
        }
        varied.name = "\(sample.name ?? "sample")-v\(number)"
        return varied
    }

    /// A standard normal draw (Box–Muller).
    private mutating func gaussian() -> Float {
        let u = max(generator.nextUnit(), 1e-300), v = generator.nextUnit()
        return Float((-2 * log(u)).squareRoot() * cos(2 * Double.pi * v))
    }
}
