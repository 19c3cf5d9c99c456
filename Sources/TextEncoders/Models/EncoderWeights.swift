import Foundation
import Tensors

/// The tensors of a `model.safetensors`, taken by name with the shape the config implies; a
/// missing tensor or a shape that disagrees with `config.json` is an error naming both. Taking a
/// tensor drops it from here, so an encoder that lays its weights out anew holds each in memory
/// twice only while it copies it, not the whole file twice.
struct EncoderWeights {
    let file: String
    private var tensors: [String: Tensor]
    /// Prefixes a checkpoint may put before every name (`bert.` in a BertForMaskedLM file).
    let prefixes: [String]

    /// Reads the float tensors of `url` whose names `keeping` accepts (F16/BF16/F64 converted;
    /// integer buffers skipped).
    init(contentsOf url: URL, prefixes: [String], keeping: (String) -> Bool) throws(TextEncoderError) {
        file = url.path
        self.prefixes = [""] + prefixes
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TextEncoderError("\(url.path) does not exist: a text encoder folder holds config.json, tokenizer.json and model.safetensors (PyTorch .bin weights are not read; save them with safe_serialization=True)")
        }
        let prefixes = self.prefixes
        do {
            tensors = try SafeTensors.read(from: url, skippingNonFloat: true, keeping: { name in
                prefixes.contains { name.hasPrefix($0) && keeping(String(name.dropFirst($0.count))) }
            }).tensors
        } catch let error as SafeTensorsError {
            throw TextEncoderError(error.description)
        } catch {
            throw TextEncoderError("\(url.path) cannot be read: \(error)")
        }
    }

    /// The scalars of tensor `name` (under any of the prefixes), which must have `shape`.
    mutating func take(_ name: String, shape: [Int]) throws(TextEncoderError) -> [Float] {
        guard let found = optionalTensor(name, shape: shape) else {
            throw TextEncoderError("\(file) has no tensor '\(name)', which this \(shape.count == 1 ? "norm" : "layer") needs; is the folder's config.json for these weights?")
        }
        return try found.get()
    }

    /// The scalars of the first of `names` present, with `shape`.
    mutating func take(anyOf names: [String], shape: [Int]) throws(TextEncoderError) -> [Float] {
        for name in names { if let found = optionalTensor(name, shape: shape) { return try found.get() } }
        throw TextEncoderError("\(file) has none of the tensors \(names.map { "'\($0)'" }.joined(separator: ", ")); is the folder's config.json for these weights?")
    }

    private mutating func optionalTensor(_ name: String, shape: [Int]) -> Result<[Float], TextEncoderError>? {
        for prefix in prefixes {
            if let t = tensors.removeValue(forKey: prefix + name) {
                guard t.shape == shape else {
                    return .failure(TextEncoderError("\(file): tensor '\(prefix + name)' has shape \(t.shape), but config.json implies \(shape)"))
                }
                return .success(t.scalars)
            }
        }
        return nil
    }
}
