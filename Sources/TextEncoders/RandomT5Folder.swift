import Foundation
import Tensors

/// Writes a T5 encoder folder with random weights (seeded) and a small Unigram tokenizer: for
/// measuring speed at a real model's shapes (`hybridsign bench text-encode`) where no pretrained
/// weights can be downloaded. Its hidden states mean nothing.
public enum RandomT5Folder {
    /// t5-base's encoder: d_model 768, 12 layers, 12 heads of 64, d_ff 3072 (ReLU), 32,128 ids.
    public struct Shape: Sendable {
        public var width = 768
        public var layers = 12
        public var heads = 12
        public var headWidth = 64
        public var feedForward = 3072
        public var vocabulary = 32_128

        public init() {}
    }

    /// The words of the tokenizer (each also a piece with `▁` before it), so that ordinary
    /// English sentences split into about one piece per word, as t5-base's tokenizer splits them.
    static let words = """
        the a an of to in on at by for with from and or but not is are was were be been has have had do does did \
        will would can could should may might must this that these those it its he she they we you i my your our their \
        his her them us me who what which when where why how all any each every some many much more most other \
        one two three four five six seven eight nine ten first last new old good great small large long short \
        day week year time morning evening night today tomorrow yesterday weather rain snow sun wind cloud cold warm \
        north south east west city country people man woman child teacher student school house road train station \
        read write speak sign see look come go say tell ask give take make find know think want need like love \
        will be there here now then very also only just still again always never often sometimes
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// Writes `config.json`, `tokenizer.json` and `model.safetensors` into `folder` (made when missing).
    public static func write(to folder: URL, shape: Shape = Shape(), seed: UInt64) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config: [String: Any] = [
            "model_type": "t5", "d_model": shape.width, "d_kv": shape.headWidth, "d_ff": shape.feedForward,
            "num_layers": shape.layers, "num_heads": shape.heads, "vocab_size": shape.vocabulary,
            "feed_forward_proj": "relu", "relative_attention_num_buckets": 32, "relative_attention_max_distance": 128,
            "layer_norm_epsilon": 1e-6, "_name_or_path": "random-t5-\(shape.width)x\(shape.layers)",
        ]
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(to: folder.appendingPathComponent("config.json"))

        var pieces: [[Any]] = [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["▁", -2.0]]
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'-"
        for c in letters { pieces.append([String(c), -8.0]); pieces.append(["▁" + String(c), -9.0]) }
        for word in words { pieces.append(["▁" + word, -5.0]); pieces.append([word, -6.0]) }
        let tokenizer: [String: Any] = [
            "version": "1.0",
            // Every field the tokenizers library requires, so that the folder loads there too (the tests compare).
            "added_tokens": ["<pad>", "</s>", "<unk>"].enumerated().map { id, content in
                ["id": id, "content": content, "special": true, "single_word": false, "lstrip": false, "rstrip": false, "normalized": false] as [String: Any]
            },
            "normalizer": ["type": "NFKC"],
            "pre_tokenizer": ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true],
            "post_processor": ["type": "TemplateProcessing", "single": [["Sequence": ["id": "A", "type_id": 0]], ["SpecialToken": ["id": "</s>", "type_id": 0]]],
                               "pair": [["Sequence": ["id": "A", "type_id": 0]], ["SpecialToken": ["id": "</s>", "type_id": 0]],
                                        ["Sequence": ["id": "B", "type_id": 0]], ["SpecialToken": ["id": "</s>", "type_id": 0]]],
                               "special_tokens": ["</s>": ["id": "</s>", "ids": [1], "tokens": ["</s>"]]]],
            "model": ["type": "Unigram", "unk_id": 2, "vocab": pieces],
        ]
        try JSONSerialization.data(withJSONObject: tokenizer).write(to: folder.appendingPathComponent("tokenizer.json"))

        var rng = RandomGenerator(seed: seed)
        let (d, f, inner) = (shape.width, shape.feedForward, shape.heads * shape.headWidth)
        // Scaled as T5's initialisation, so activations stay finite through the layers.
        var tensors: [String: Tensor] = [
            "shared.weight": rng.normal([shape.vocabulary, d], std: 1),
            "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight": rng.normal([32, shape.heads], std: 0.5),
            "encoder.final_layer_norm.weight": Tensor(repeating: 1, shape: [d]),
        ]
        for i in 0..<shape.layers {
            let a = "encoder.block.\(i).layer.0.", m = "encoder.block.\(i).layer.1."
            let scale = 1 / Float(d).squareRoot()
            tensors[a + "layer_norm.weight"] = Tensor(repeating: 1, shape: [d])
            tensors[a + "SelfAttention.q.weight"] = rng.normal([inner, d], std: scale / Float(shape.headWidth).squareRoot())
            tensors[a + "SelfAttention.k.weight"] = rng.normal([inner, d], std: scale)
            tensors[a + "SelfAttention.v.weight"] = rng.normal([inner, d], std: scale)
            tensors[a + "SelfAttention.o.weight"] = rng.normal([d, inner], std: 1 / Float(inner).squareRoot())
            tensors[m + "layer_norm.weight"] = Tensor(repeating: 1, shape: [d])
            tensors[m + "DenseReluDense.wi.weight"] = rng.normal([f, d], std: scale)
            tensors[m + "DenseReluDense.wo.weight"] = rng.normal([d, f], std: 1 / Float(f).squareRoot())
        }
        try SafeTensors.write(tensors, to: folder.appendingPathComponent("model.safetensors"))
    }
}
