import PoseData
import Tensors
import TextEncoders

/// Randomly initialised models and random data for benchmarks (no data files needed).
public enum BenchmarkModels {
    /// A model of `config` with identity normalisation, a lower-case letter vocabulary and weights
    /// perturbed from their initialisation (so zero-initialised gates do not skip any work).
    /// With `textEncoder`, the model reads its hidden states (`config` must say `text: sentence` at its width).
    public static func randomModel(config: ModelConfig, seed: UInt64 = 1, textEncoder: PretrainedTextEncoder? = nil) throws(HybridSignError) -> HybridSignModel {
        let letters = (UnicodeScalar("a").value...UnicodeScalar("z").value).map { String(UnicodeScalar($0)!) }
        let model = try HybridSignModel(config: config, normalizer: .identity, vocabulary: TextVocabulary(unit: .characters, units: letters),
                                        lengthModel: LengthModel(intercept: 60, slope: 0),
                                        jointConfidence: [Float](repeating: 1, count: config.layout.jointCount), fps: 25, seed: seed,
                                        textEncoder: textEncoder)
        var rng = RandomGenerator(seed: seed &+ 1)
        for p in model.network.parameters { p.assign(p.value + rng.normal(p.value.shape, std: 0.02)) }
        return model
    }

    /// `count` random sequences of `frames` frames (smooth random walks, every joint visible) with
    /// random lower-case texts, in the model's layout.
    public static func randomDataset(layout: Layout, count: Int, frames: Int, seed: UInt64 = 2) throws(HybridSignError) -> PoseDataset {
        var rng = RandomGenerator(seed: seed)
        let j = layout.jointCount
        var samples: [PoseSequence] = []
        for _ in 0..<count {
            var values: [Float] = []
            var position = (0..<(j * 2)).map { _ in rng.normal() }
            for _ in 0..<frames {
                for k in 0..<j { values += [position[k * 2], position[k * 2 + 1], 1] }
                for i in position.indices { position[i] += 0.1 * rng.normal() }
            }
            let text = String((0..<5).map { _ in Character(UnicodeScalar(97 + Int(rng.next() % 26))!) })
            do { samples.append(try PoseSequence(layout: layout, fps: 25, values: values, text: text)) } catch {
                throw HybridSignError.invalidData("\(error)")
            }
        }
        do { return try PoseDataset(layout: layout, samples: samples) } catch { throw HybridSignError.invalidData("\(error)") }
    }
}
