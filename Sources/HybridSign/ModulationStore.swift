import Foundation
import Tensors

/// The adaLN modulations of a network per flow-time pair (t, r), kept across sampling calls.
///
/// They depend only on the weights and on (t, r), and a sampler uses the same few pairs in every
/// sequence (the clean stream's t = r = 0 and the flow steps' grid). Computing them reads every
/// block's projection, a 3·sublayers·D × D matrix (`paper`: 4 × 12.6 MB a stream), which a
/// sequence's first frame would otherwise wait for. The values are dropped as soon as any weight
/// has changed (``Parameter/version``), so training between samples never reads stale ones.
/// Safe to share between threads sampling the same network.
final class ModulationStore: @unchecked Sendable {
    private let lock = NSLock()
    /// The sum of the parameters' versions the stored values were computed at: versions only
    /// grow, so the sum changes whenever any weight does.
    private var weightsVersion = -1
    private var values: [SIMD2<Float>: [ObjectIdentifier: [Tensor]]] = [:]

    /// The number of layers' values stored, over all flow-time pairs.
    var count: Int { lock.withLock { values.values.reduce(0) { $0 + $1.count } } }

    /// Forgets everything if the weights are no longer those at `weightsVersion`.
    func validate(weightsVersion version: Int) {
        lock.withLock {
            if version != weightsVersion {
                values = [:]
                weightsVersion = version
            }
        }
    }

    /// The values of `layer` at (t, r), if stored for the weights at `weightsVersion`.
    func values(t: Float, r: Float, layer: ObjectIdentifier, weightsVersion version: Int) -> [Tensor]? {
        lock.withLock { version == weightsVersion ? values[SIMD2(t, r)]?[layer] : nil }
    }

    /// Keeps `tensors` as the values of `layer` at (t, r), computed with the weights at `weightsVersion`.
    func store(_ tensors: [Tensor], t: Float, r: Float, layer: ObjectIdentifier, weightsVersion version: Int) {
        lock.withLock {
            guard version == weightsVersion else { return }
            values[SIMD2(t, r), default: [:]][layer] = tensors
        }
    }
}
